#include "services/supervisor/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "services/supervisor/child_process.h"
#include "services/supervisor/run_files.h"

namespace omnihub::supervisor {
namespace {

// 1500000 -> "1.5"
std::string Seconds(int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(us) / 1e6);
  return buf;
}

}  // namespace

struct Supervisor::Service {
  Service(ServiceSpec s, base::Clock& clock, const RestartOptions& restart) : spec(std::move(s)), policy(clock, restart) {}

  ServiceSpec spec;
  std::string path;  // the binary, resolved against bin_dir
  RestartPolicy policy;
  std::unique_ptr<LineTee> tee;
  int log_fd = -1;
  int pipe_read = -1;   // non-blocking; the supervisor's end of the output pipe
  int pipe_write = -1;  // kept for the supervisor's life: every run of the service gets it
  pid_t pid = 0;        // 0 when not running
  int64_t started_us = 0;
  bool ready = false;
  int64_t next_probe_us = 0;
  std::optional<int64_t> restart_at_us;  // set while waiting to restart
  int64_t kill_at_us = 0;                // while stopping: SIGKILL from then on
  bool killed = false;

  std::string PidFile(const SupervisorOptions& o) const { return o.run_dir + "/" + spec.name + ".pid"; }
  std::string ReadyFile(const SupervisorOptions& o) const { return o.run_dir + "/" + spec.name + ".ready"; }
};

Supervisor::Supervisor(std::vector<ServiceSpec> services, SupervisorOptions options, base::Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  for (auto& spec : services) services_.push_back(std::make_unique<Service>(std::move(spec), clock_, options_.restart));
}

Supervisor::~Supervisor() {
  for (auto& s : services_) {
    for (int fd : {s->log_fd, s->pipe_read, s->pipe_write}) {
      if (fd >= 0) close(fd);
    }
  }
  if (signal_fd_ >= 0) close(signal_fd_);
}

base::Status Supervisor::Init() {
  std::error_code ec;
  for (const auto* dir : {&options_.run_dir, &options_.log_dir}) {
    std::filesystem::create_directories(*dir, ec);
    if (ec) return base::Status::IoError("cannot create " + *dir + ": " + ec.message());
  }
  std::vector<std::unique_ptr<Service>> kept;
  for (auto& s : services_) {
    s->path = s->spec.binary.find('/') != std::string::npos ? s->spec.binary
                                                             : options_.bin_dir + "/" + s->spec.binary;
    if (options_.skip_missing && access(s->path.c_str(), X_OK) != 0) {
      Say("skipping " + s->spec.name + ": " + s->path + " is not built");
      continue;
    }
    // A service left by a supervisor that was SIGKILLed would hold the database lock;
    // name it instead of crash-looping against it.
    if (auto old = ReadPidFile(s->PidFile(options_)); old && ProcessRunsBinary(*old, s->path)) {
      return base::Status::Unavailable(s->spec.name + " from an earlier run is still running (pid " + std::to_string(*old) +
                                 "); stop it first: kill " + std::to_string(*old));
    }
    std::remove(s->PidFile(options_).c_str());
    std::remove(s->ReadyFile(options_).c_str());
    kept.push_back(std::move(s));
  }
  services_ = std::move(kept);
  if (services_.empty()) return base::Status::InvalidArgument("no service to run");

  for (auto& s : services_) {
    const std::string log = options_.log_dir + "/" + s->spec.name + ".log";
    s->log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (s->log_fd < 0) return base::Status::IoError("cannot open " + log + ": " + std::strerror(errno));
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return base::Status::IoError(std::string("pipe: ") + std::strerror(errno));
    s->pipe_read = fds[0];
    s->pipe_write = fds[1];
    // Only the reading end is non-blocking: a service's own writes must block, not fail,
    // when the supervisor falls behind.
    fcntl(s->pipe_read, F_SETFL, fcntl(s->pipe_read, F_GETFL) | O_NONBLOCK);
    s->tee = std::make_unique<LineTee>(s->spec.name, STDERR_FILENO, s->log_fd);
  }

  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, sig);
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return base::Status::Internal("sigprocmask failed");
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) return base::Status::Internal(std::string("signalfd: ") + std::strerror(errno));
  // A closed terminal must not kill the supervisor mid-stop; writes just fail.
  signal(SIGPIPE, SIG_IGN);
  return base::Status::Ok();
}

int Supervisor::Run() {
  for (auto& s : services_) Start(*s);
  if (!options_.task.empty()) {
    auto pid = SpawnChild({options_.task, -1});
    if (!pid.ok()) {
      Say("cannot start " + options_.task[0] + ": " + pid.status().message());
      exit_code_ = 1;
      BeginStop();
    } else {
      task_pid_ = *pid;
    }
  }
  while (!(stopping_ && AllStopped())) {
    std::vector<pollfd> fds{{signal_fd_, POLLIN, 0}};
    for (auto& s : services_) fds.push_back({s->pipe_read, POLLIN, 0});
    if (poll(fds.data(), fds.size(), PollTimeoutMs()) < 0 && errno != EINTR) {
      Say(std::string("poll: ") + std::strerror(errno));
      break;
    }
    for (size_t i = 0; i < services_.size(); ++i) {
      if (fds[i + 1].revents != 0) Drain(*services_[i]);
    }
    signalfd_siginfo info;
    bool child_exited = false;
    while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGCHLD) {
        child_exited = true;
      } else if (stopping_) {
        force_ = true;  // a second Ctrl-C: skip the grace period
      } else {
        BeginStop();
      }
    }
    // SIGCHLD signals coalesce: one read may stand for several exits, so reap them all.
    if (child_exited) Reap();
    if (stopping_) {
      KillOverdue();
      continue;
    }
    const int64_t now = Now();
    for (auto& s : services_) {
      if (s->restart_at_us && *s->restart_at_us <= now) Start(*s);
    }
    ProbeDue();
  }
  for (auto& s : services_) {
    Drain(*s);
    s->tee->Flush();
  }
  Say(exit_code_ == 0 ? "stopped" : "stopped after a failure");
  return exit_code_;
}

void Supervisor::Start(Service& s) {
  s.restart_at_us.reset();
  s.ready = false;
  s.killed = false;
  s.policy.OnStart();
  s.started_us = Now();
  s.next_probe_us = s.started_us;
  auto pid = SpawnChild({{s.path}, s.pipe_write});
  if (!pid.ok()) {
    // Treated like a run that ended at once, so it backs off like one.
    auto decision = s.policy.OnExit();
    s.restart_at_us = Now() + decision.delay_us;
    s.tee->Note("cannot start " + s.spec.name + ": " + pid.status().message() + "; retrying in " +
                Seconds(decision.delay_us) + " s");
    return;
  }
  s.pid = *pid;
  if (auto st = WritePidFile(s.PidFile(options_), s.pid); !st.ok()) s.tee->Note(st.message());
  s.tee->Note("started " + s.spec.name + " (pid " + std::to_string(s.pid) + ")");
}

void Supervisor::Reap() {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == task_pid_) {
      OnTaskExit(status);
      continue;
    }
    for (auto& s : services_) {
      if (s->pid == pid) OnServiceExit(*s, status);
    }
  }
}

void Supervisor::OnServiceExit(Service& s, int status) {
  Drain(s);  // its last words come before the supervisor's note
  const pid_t pid = s.pid;
  s.pid = 0;
  // Whatever the service left in its process group goes with it.
  kill(-pid, SIGKILL);
  std::remove(s.PidFile(options_).c_str());
  std::remove(s.ReadyFile(options_).c_str());
  const std::string what = s.spec.name + " (pid " + std::to_string(pid) + ") " + DescribeWaitStatus(status);
  if (stopping_) {
    s.tee->Note(what);
    return;
  }
  auto decision = s.policy.OnExit();
  s.restart_at_us = Now() + decision.delay_us;
  std::string note = what + " after " + Seconds(decision.ran_us) + " s; restarting in " + Seconds(decision.delay_us) + " s";
  if (decision.backing_off) {
    note += " (crash loop: " + std::to_string(decision.quick_exits) + " quick exits in a row, backing off)";
  }
  s.tee->Note(note);
}

void Supervisor::OnTaskExit(int status) {
  task_pid_ = 0;
  if (stopping_ || status == 0) return;
  Say(options_.task[0] + " " + DescribeWaitStatus(status) + "; stopping");
  exit_code_ = 1;
  BeginStop();
}

void Supervisor::BeginStop() {
  stopping_ = true;
  Say(exit_code_ == 0 ? "stopping" : "stopping after a failed start");
  const int64_t now = Now();
  for (auto& s : services_) {
    s->restart_at_us.reset();
    if (s->pid == 0) continue;
    s->tee->Note("stopping " + s->spec.name + " (pid " + std::to_string(s->pid) + ") with SIGTERM");
    kill(s->pid, SIGTERM);
    s->kill_at_us = now + s->spec.stop_grace_us;
  }
  if (task_pid_ != 0) {
    kill(task_pid_, SIGTERM);
    task_kill_at_us_ = now + options_.task_stop_grace_us;
  }
}

void Supervisor::KillOverdue() {
  const int64_t now = Now();
  for (auto& s : services_) {
    if (s->pid == 0 || s->killed || (!force_ && now < s->kill_at_us)) continue;
    s->tee->Note(s->spec.name + " (pid " + std::to_string(s->pid) + ") still running after " +
                 Seconds(now - s->kill_at_us + s->spec.stop_grace_us) + " s: SIGKILL");
    kill(-s->pid, SIGKILL);
    s->killed = true;
  }
  if (task_pid_ != 0 && (force_ || now >= task_kill_at_us_)) {
    kill(-task_pid_, SIGKILL);
    task_kill_at_us_ = INT64_MAX;  // once
  }
}

void Supervisor::ProbeDue() {
  const int64_t now = Now();
  for (auto& s : services_) {
    if (s->pid == 0 || s->ready || now < s->next_probe_us) continue;
    if (!RunProbe(s->spec.ready, options_.probe_timeout_ms)) {
      s->next_probe_us = Now() + options_.probe_interval_us;
      continue;
    }
    s->ready = true;
    if (auto st = WritePidFile(s->ReadyFile(options_), s->pid); !st.ok()) s->tee->Note(st.message());
    // Without a probe "ready" says nothing the start note did not.
    if (s->spec.ready.kind == Probe::Kind::kNone) continue;
    s->tee->Note(s->spec.name + " ready (pid " + std::to_string(s->pid) + ", " + Seconds(Now() - s->started_us) +
                 " s after start)");
  }
}

void Supervisor::Drain(Service& s) {
  char buf[16 * 1024];
  ssize_t n;
  while ((n = read(s.pipe_read, buf, sizeof buf)) > 0) s.tee->Feed(std::string_view(buf, static_cast<size_t>(n)));
}

bool Supervisor::AllStopped() const {
  return task_pid_ == 0 && std::all_of(services_.begin(), services_.end(), [](const auto& s) { return s->pid == 0; });
}

int Supervisor::PollTimeoutMs() const {
  const int64_t now = Now();
  int64_t next = now + 1'000'000;  // wake at least once a second
  for (const auto& s : services_) {
    if (s->restart_at_us) next = std::min(next, *s->restart_at_us);
    if (s->pid != 0 && !s->ready && !stopping_) next = std::min(next, s->next_probe_us);
    if (s->pid != 0 && stopping_ && !s->killed) next = std::min(next, s->kill_at_us);
  }
  if (task_pid_ != 0 && stopping_) next = std::min(next, task_kill_at_us_);
  // Round up so a wake-up is never early and spinning.
  return static_cast<int>(std::max<int64_t>(0, (next - now + 999) / 1000));
}

void Supervisor::Say(const std::string& text) const {
  (void)WriteAll(STDERR_FILENO, "omnihub-supervisor: " + text + "\n");
}

}  // namespace omnihub::supervisor
