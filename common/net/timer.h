// The seam between the network servers and time: every read, idle, write and linger timeout of
// the HTTP and SMTP servers (and the listener's accept back-off) runs on a Timer made by the
// TimerFactory in their options. SteadyTimers() is the real one, over asio::steady_timer;
// ManualTimerFactory (manual_timer.h) moves only when a test advances its clock, so timeout
// tests assert what happens exactly when a deadline is due without sleeping.
//
// Thread-safety: a Timer belongs to one executor (a connection's strand, or a single-threaded
// io_context); call Arm and Cancel only there, and the callback runs there too. A factory is
// thread-safe and must outlive every timer it made.
#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace omnihub::net {

class Timer {
 public:
  virtual ~Timer() = default;  // cancels
  // Calls `fn` on the timer's executor once `after` has passed, unless Arm or Cancel is called
  // again first: a superseded callback never runs, even if its deadline had already passed.
  virtual void Arm(std::chrono::steady_clock::duration after, std::function<void()> fn) = 0;
  // The pending callback (if any) will not run; releases it (and what it holds) soon.
  virtual void Cancel() = 0;
};

class TimerFactory {
 public:
  virtual ~TimerFactory() = default;
  // A disarmed timer whose callbacks run on `executor`.
  virtual std::unique_ptr<Timer> NewTimer(const boost::asio::any_io_executor& executor) = 0;
  // The clock the timers run on, for measuring durations that should agree with them.
  virtual std::chrono::steady_clock::time_point Now() = 0;
};

// The real timers (std::chrono::steady_clock); one process-wide instance, never destroyed.
TimerFactory& SteadyTimers();

}  // namespace omnihub::net
