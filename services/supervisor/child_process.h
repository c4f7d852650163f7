// Starting and describing child processes: the only fork/exec in the supervisor.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/base/status.h"

namespace omnihub::supervisor {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the path executed
  // Where the child's stdout and stderr go; -1 keeps the supervisor's own.
  int output_fd = -1;
};

// Starts argv in a new session (its own process group, pgid == pid, so that Ctrl-C
// reaches only the supervisor and the group can be killed as a whole), with stdin on
// /dev/null, default signal handling, no descriptor but 0-2 inherited, and SIGTERM
// delivered to it should the supervisor die without stopping it. Returns the pid; a
// binary that cannot be executed shows as an exit with status 127.
base::Result<pid_t> SpawnChild(const SpawnOptions& options);

// "exited with status 1", "killed by signal KILL" for a waitpid() status.
std::string DescribeWaitStatus(int status);

// True when `status` is the exit a TERM asked for: status 0, or killed by SIGTERM.
bool IsCleanStop(int status);

}  // namespace omnihub::supervisor
