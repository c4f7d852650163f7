#include "common/base/eventfd_signal.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace omnihub::base {

Result<EventFdSignal> EventFdSignal::Create() {
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return Status::Unavailable(std::string("eventfd: ") + std::strerror(errno));
  return EventFdSignal(fd);
}

EventFdSignal::EventFdSignal(EventFdSignal&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

EventFdSignal& EventFdSignal::operator=(EventFdSignal&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

EventFdSignal::~EventFdSignal() {
  if (fd_ >= 0) close(fd_);
}

void EventFdSignal::Notify() {
  const uint64_t one = 1;
  // EAGAIN means the counter is saturated: the fd is readable anyway.
  while (write(fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void EventFdSignal::Drain() {
  uint64_t value = 0;
  while (read(fd_, &value, sizeof value) < 0 && errno == EINTR) {
  }
}

}  // namespace omnihub::base
