// The one way a service process learns it should stop: SIGINT or SIGTERM, taken
// synchronously by sigwait on a thread of our own instead of by an async handler, so the
// reaction may do anything (stop listeners, post to an event loop, log). SIGHUP is taken by
// the same wait, which runs `on_hangup` (by default: reopen the log file, for logrotate) and
// goes on waiting: it never stops the process.
//
// Construct it first in main(), before any thread starts: it blocks the three signals in the
// calling thread, and threads started afterwards inherit the mask, so no other thread is
// interrupted by them.
//
// Thread-safety: construct and destroy on the main thread; the callback runs on the
// waiting thread.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace omnihub::service {

class StopSignals {
 public:
  // `on_hangup` runs on the waiting thread for every SIGHUP; empty = ReopenLogFile().
  explicit StopSignals(std::function<void()> on_hangup = {});
  // Ends a wait still in progress without running its callback.
  ~StopSignals();

  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Blocks until SIGINT or SIGTERM arrives (handling any SIGHUP meanwhile); returns its number.
  // Tells systemd STOPPING=1 (systemd_notify.h) before returning.
  int Wait();

  // Waits on a thread of its own and calls `on_stop` with the signal's number once, on that
  // thread. At most one call per object.
  void WaitInBackground(std::function<void(int)> on_stop);

  // True once a stop signal has been taken (by either way of waiting).
  bool stopping() const { return stopping_.load(); }

 private:
  sigset_t signals_;
  const std::function<void()> on_hangup_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cancelled_{false};
  std::thread waiter_;
};

}  // namespace omnihub::service
