#include "services/supervisor/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace omnihub::supervisor {

base::Result<pid_t> SpawnChild(const SpawnOptions& options) {
  if (options.argv.empty()) return base::Status::InvalidArgument("nothing to run");
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  sigset_t none;
  sigemptyset(&none);

  pid_t pid = fork();
  if (pid < 0) return base::Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  if (pid > 0) return pid;

  // The child.
  setsid();
  // The supervisor blocks the signals it reads from a signalfd; the service must not
  // inherit that mask (it would never see SIGTERM), nor any ignored disposition.
  for (int sig : {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGPIPE}) signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(126);  // the supervisor died before prctl took effect
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0 && null_fd != STDIN_FILENO) {
    dup2(null_fd, STDIN_FILENO);
    close(null_fd);
  }
  if (options.output_fd >= 0) {
    dup2(options.output_fd, STDOUT_FILENO);
    dup2(options.output_fd, STDERR_FILENO);
  }
  // A lock or log descriptor inherited by a service would outlive the supervisor.
  close_range(3, UINT_MAX, 0);
  execv(argv[0], argv.data());
  static constexpr char kMessage[] = "supervisor: cannot execute the binary\n";
  (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(127);
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("killed by signal ") + (name ? name : std::to_string(WTERMSIG(status)).c_str());
  }
  return "ended with wait status " + std::to_string(status);
}

bool IsCleanStop(int status) {
  return (WIFEXITED(status) && WEXITSTATUS(status) == 0) || (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

}  // namespace omnihub::supervisor
