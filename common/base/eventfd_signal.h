// A wake-up signal another thread can poll on: a Linux eventfd. Notify() from any
// thread makes the fd readable until Drain(); repeated notifications coalesce.
// It lets a ZeroMQ sender thread sleep in zmq::poll on its sockets and this fd at
// once instead of polling on a timer.
//
// Thread-safety: Notify() and Drain() may be called from any thread.
#pragma once

#include "common/base/status.h"

namespace omnihub::base {

class EventFdSignal {
 public:
  // Unavailable if the kernel refuses an eventfd (fd limit).
  static Result<EventFdSignal> Create();
  EventFdSignal(EventFdSignal&& other) noexcept;
  EventFdSignal& operator=(EventFdSignal&& other) noexcept;
  EventFdSignal(const EventFdSignal&) = delete;
  EventFdSignal& operator=(const EventFdSignal&) = delete;
  ~EventFdSignal();

  void Notify();
  // Clears pending notifications; never blocks.
  void Drain();
  // Readable while a notification is pending. Owned by this object.
  int fd() const { return fd_; }

 private:
  explicit EventFdSignal(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace omnihub::base
