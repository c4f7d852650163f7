// ManualTimerFactory: timers on a base::ManualClock, for tests. Time moves only in Advance,
// which posts the callbacks of the timers then due onto their executors; the servers under test
// run them as they would a real expiry. So a test can say "one microsecond before the read
// timeout nothing fires; at the timeout exactly one timer does" without sleeping.
//
// Thread-safety: all methods are thread-safe. Advance must not run concurrently with the
// destruction of an io_context whose executors have timers here.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/base/env.h"
#include "common/net/timer.h"

namespace omnihub::net {

class ManualTimerFactory final : public TimerFactory {
 public:
  // `clock` is read as the timers' time and moved by Advance; it must outlive the factory.
  explicit ManualTimerFactory(base::ManualClock& clock) : clock_(clock) {}
  ManualTimerFactory(const ManualTimerFactory&) = delete;
  ManualTimerFactory& operator=(const ManualTimerFactory&) = delete;

  std::unique_ptr<Timer> NewTimer(const boost::asio::any_io_executor& executor) override;
  std::chrono::steady_clock::time_point Now() override;

  // Moves the clock forward by `d`, then posts the callback of every armed timer whose deadline
  // has come (each disarmed as it fires), earliest first; returns how many.
  size_t Advance(std::chrono::steady_clock::duration d);

  // For synchronising with the code under test, which arms timers on its own threads.
  // True once an armed timer has exactly this deadline; false after `wait` of real time.
  bool WaitForDeadline(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds wait);
  // True once Arm has been called `n` times in all (by any timer); false after `wait`.
  bool WaitForArms(uint64_t n, std::chrono::milliseconds wait);

 private:
  struct State;  // one timer's, shared with the callbacks posted for it
  class ManualTimer;
  void Arm(const std::shared_ptr<State>& state, std::chrono::steady_clock::duration after, std::function<void()> fn);
  void Cancel(const std::shared_ptr<State>& state);
  void Remove(const State* state);

  base::ManualClock& clock_;
  std::mutex mu_;
  std::condition_variable armed_;                // notified by every Arm
  std::vector<std::shared_ptr<State>> timers_;  // guarded by mu_
  uint64_t arms_ = 0;                           // guarded by mu_
};

}  // namespace omnihub::net
