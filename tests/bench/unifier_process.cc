#include "tests/bench/unifier_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "common/bus/query_client.h"
#include "common/config/all_sections.h"

extern char** environ;

namespace omnihub::bench {
namespace {

// sun_path holds 108 bytes including the terminator; "ipc://" is not part of it.
constexpr size_t kMaxSocketPath = 107;

std::string ConfigToml(const UnifierSetup& setup) {
  const std::string& w = setup.workdir;
  std::ostringstream toml;
  toml << "data_dir = \"" << w << "/data\"\n"
       << "[log]\nlevel = \"info\"\n"
       << "[bus]\n"
       << "ingest = \"ipc://" << w << "/run/ingest.sock\"\n"
       << "changes = \"ipc://" << w << "/run/changes.sock\"\n"
       << "query = \"ipc://" << w << "/run/query.sock\"\n"
       << "[unifier]\n"
       << "db_dir = \"" << w << "/unifier-db\"\n"
       << "admin_listen = \"127.0.0.1:0\"\n";  // any free port: runs must not collide on 9101
  if (setup.batch_max_events > 0) toml << "batch_max_events = " << setup.batch_max_events << "\n";
  if (setup.replica) {
    const ReplicaSetup& r = *setup.replica;
    toml << "partition = " << r.partition << "\nreplica_id = \"" << r.replica_id << "\"\n"
         << "[cluster]\nenabled = true\nnats_urls = [";
    for (size_t i = 0; i < r.nats_urls.size(); ++i) toml << (i ? ", " : "") << '"' << r.nats_urls[i] << '"';
    toml << "]\npartitions = " << r.partitions << "\nreplicas = " << r.stream_replicas << "\n";
  }
  return toml.str();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

base::Result<std::unique_ptr<UnifierProcess>> UnifierProcess::Start(const UnifierSetup& setup, zmq::context_t& ctx,
                                                             std::chrono::seconds ready_timeout) {
  if (setup.workdir.size() + std::strlen("/run/changes.sock") > kMaxSocketPath) {
    return base::Status::InvalidArgument("work directory " + setup.workdir +
                                   " is too long for an ipc:// socket path; use a shorter --workdir");
  }
  const std::string toml = ConfigToml(setup);
  const std::string config_path = setup.workdir + "/unifier.toml";
  {
    std::ofstream out(config_path, std::ios::trunc);
    out << toml;
    if (!out) return base::Status::IoError("cannot write " + config_path);
  }
  auto config = config::ParseConfig(toml, config_path, config::AllSections());
  if (!config.ok()) return config.status();

  std::unique_ptr<UnifierProcess> proc(new UnifierProcess(ctx, std::move(*config), setup.workdir + "/unifier.log"));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, proc->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = {setup.binary, "--config", config_path};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, setup.binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return base::Status::Unavailable("cannot start " + setup.binary + ": " + std::strerror(rc));
  proc->pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (true) {
    if (proc->Exited()) {
      return base::Status::Unavailable("omnihub-unifier exited during start-up; log:\n" + proc->LogTail(2000));
    }
    if (proc->Stats().ok()) return proc;
    if (std::chrono::steady_clock::now() >= deadline) {
      return base::Status::Unavailable("omnihub-unifier did not answer within " + std::to_string(ready_timeout.count()) +
                                 " s; log:\n" + proc->LogTail(2000));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

UnifierProcess::~UnifierProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

base::Result<v1::StatsResponse> UnifierProcess::Stats() {
  bus::QueryClient client(ctx_, config_.bus.query, std::chrono::milliseconds(1000));
  v1::QueryRequest req;
  req.mutable_stats();
  auto resp = client.Call(req);
  if (!resp.ok()) return resp.status();
  return resp->stats();
}

double UnifierProcess::CpuSeconds() const {
  if (pid_ <= 0) return -1;
  const std::string text = ReadFile("/proc/" + std::to_string(pid_) + "/stat");
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

ThreadTimes UnifierProcess::MainThreadTimes() const {
  if (pid_ <= 0) return {};
  return ThreadTimesOf(pid_, pid_);
}

bool UnifierProcess::Exited() {
  if (pid_ <= 0) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exit_status_ = status;
    pid_ = -1;
    return true;
  }
  return false;
}

base::Status UnifierProcess::Stop(std::chrono::seconds grace) {
  if (pid_ <= 0) return base::Status::Ok();
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!Exited()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return base::Status::Internal("omnihub-unifier ignored SIGTERM for " + std::to_string(grace.count()) +
                              " s and was killed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(exit_status_) || WEXITSTATUS(exit_status_) != 0) {
    return base::Status::Internal("omnihub-unifier did not exit cleanly (wait status " + std::to_string(exit_status_) +
                            "); log:\n" + LogTail(2000));
  }
  return base::Status::Ok();
}

std::string UnifierProcess::LogTail(size_t bytes) const {
  const std::string text = ReadFile(log_path_);
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace omnihub::bench
