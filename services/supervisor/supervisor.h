// The supervisor's event loop: starts every service of the manifest, is told by a
// signalfd when a child exits (SIGCHLD, then waitpid; nothing polls /proc), restarts it
// as RestartPolicy says, probes it until ready, tees its output (LineTee) and stops
// everything on SIGINT, SIGTERM or SIGHUP: SIGTERM to each service, SIGKILL to its
// process group once its stop grace period has passed (or at a second signal).
//
// Files, for scripts and tests: RUN_DIR/<service>.pid holds the running pid (written
// at each start, removed at exit), RUN_DIR/<service>.ready the pid once the ready
// probe passed, LOG_DIR/<service>.log the service's output and the supervisor's notes
// about it ("supervisor: started ...", "... restarting in 0.2 s", "... crash loop").
//
// An optional one-shot task (scripts/run.sh loads the sample and prints hints with it)
// runs beside the services with the supervisor's own stdout and stderr; if it fails,
// everything is stopped and Run() returns 1.
//
// Single-threaded: Init() and Run() on one thread, which must be the process's only one
// (signal masks and PR_SET_PDEATHSIG are per thread).
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "services/supervisor/line_tee.h"
#include "services/supervisor/manifest.h"
#include "services/supervisor/restart_policy.h"

namespace omnihub::supervisor {

struct SupervisorOptions {
  std::string bin_dir;  // where manifest binaries without a '/' are found
  std::string run_dir;  // pid and ready files
  std::string log_dir;  // <service>.log
  // Leave out services whose binary is not there (a partial build) instead of
  // crash-looping them.
  bool skip_missing = false;
  std::vector<std::string> task;  // argv of the one-shot task; empty: none
  RestartOptions restart;
  int64_t probe_interval_us = 100'000;
  int probe_timeout_ms = 200;
  int64_t task_stop_grace_us = 5'000'000;
};

class Supervisor {
 public:
  Supervisor(std::vector<ServiceSpec> services, SupervisorOptions options, base::Clock& clock);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Blocks the signals the loop reads, opens logs and pipes, and refuses (Unavailable,
  // naming the pid) when a service from an earlier run is still running.
  base::Status Init();
  // Runs until stopped; returns the exit code: 0, or 1 when the task failed.
  // REQUIRES: Init() succeeded.
  int Run();

 private:
  struct Service;

  void Start(Service& s);
  void OnServiceExit(Service& s, int status);
  void OnTaskExit(int status);
  void Reap();
  void BeginStop();
  void KillOverdue();
  void ProbeDue();
  void Drain(Service& s);
  bool AllStopped() const;
  int PollTimeoutMs() const;
  void Say(const std::string& text) const;
  int64_t Now() const { return clock_.MonotonicMicros(); }

  std::vector<std::unique_ptr<Service>> services_;
  SupervisorOptions options_;
  base::Clock& clock_;
  int signal_fd_ = -1;
  pid_t task_pid_ = 0;
  int64_t task_kill_at_us_ = 0;
  bool stopping_ = false;
  bool force_ = false;  // a second stop signal: SIGKILL now
  int exit_code_ = 0;
};

}  // namespace omnihub::supervisor
