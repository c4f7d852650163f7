// SteadyTimers(): net::Timer over asio::steady_timer.
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>

#include "common/net/timer.h"

namespace omnihub::net {
namespace {

class SteadyTimer final : public Timer {
 public:
  explicit SteadyTimer(const boost::asio::any_io_executor& executor) : timer_(executor) {}
  ~SteadyTimer() override { Cancel(); }

  void Arm(std::chrono::steady_clock::duration after, std::function<void()> fn) override {
    const uint64_t generation = ++*generation_;
    timer_.expires_after(after);
    // asio cannot recall a wait that has already completed and is queued: the generation tells
    // such a superseded wait to do nothing. It is shared so that the check is safe even if the
    // wait runs after this object is gone.
    timer_.async_wait([current = generation_, generation, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (ec || generation != *current) return;
      fn();
    });
  }

  void Cancel() override {
    ++*generation_;
    timer_.cancel();
  }

 private:
  boost::asio::steady_timer timer_;
  const std::shared_ptr<std::atomic<uint64_t>> generation_ = std::make_shared<std::atomic<uint64_t>>(0);
};

class SteadyTimerFactory final : public TimerFactory {
 public:
  std::unique_ptr<Timer> NewTimer(const boost::asio::any_io_executor& executor) override {
    return std::make_unique<SteadyTimer>(executor);
  }
  std::chrono::steady_clock::time_point Now() override { return std::chrono::steady_clock::now(); }
};

}  // namespace

TimerFactory& SteadyTimers() {
  static auto* const factory = new SteadyTimerFactory();  // never destroyed: timers may outlive main
  return *factory;
}

}  // namespace omnihub::net
