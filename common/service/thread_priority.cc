#include "common/service/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace omnihub::service {
namespace {

// On Linux, PRIO_PROCESS with a thread id names that thread alone.
id_t ThisThreadId() { return static_cast<id_t>(syscall(SYS_gettid)); }

}  // namespace

int ThisThreadNice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, ThisThreadId());
}

base::Status LowerThisThreadPriority(int increment) {
  if (increment < 1 || increment > 19) {
    return base::Status::InvalidArgument("thread priority increment " + std::to_string(increment) +
                                         " is outside 1-19");
  }
  const int target = std::min(ThisThreadNice() + increment, 19);
  if (setpriority(PRIO_PROCESS, ThisThreadId(), target) != 0) {
    return base::Status::Internal(std::string("setpriority(nice ") + std::to_string(target) +
                                  ") of this thread: " + std::strerror(errno));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::service
