#include "common/net/manual_timer.h"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace omnihub::net {

using std::chrono::microseconds;
using std::chrono::steady_clock;

struct ManualTimerFactory::State {
  explicit State(boost::asio::any_io_executor ex) : executor(std::move(ex)) {}
  const boost::asio::any_io_executor executor;
  // All guarded by the factory's mu_.
  bool armed = false;
  int64_t deadline_us = 0;
  uint64_t generation = 0;  // bumped by Arm and Cancel: a posted callback of an older one is stale
  std::function<void()> fn;
};

class ManualTimerFactory::ManualTimer final : public Timer {
 public:
  ManualTimer(ManualTimerFactory& factory, std::shared_ptr<State> state)
      : factory_(factory), state_(std::move(state)) {}
  ~ManualTimer() override { factory_.Remove(state_.get()); }

  void Arm(steady_clock::duration after, std::function<void()> fn) override {
    factory_.Arm(state_, after, std::move(fn));
  }
  void Cancel() override { factory_.Cancel(state_); }

 private:
  ManualTimerFactory& factory_;
  const std::shared_ptr<State> state_;
};

std::unique_ptr<Timer> ManualTimerFactory::NewTimer(const boost::asio::any_io_executor& executor) {
  auto state = std::make_shared<State>(executor);
  std::lock_guard lock(mu_);
  timers_.push_back(state);
  return std::make_unique<ManualTimer>(*this, std::move(state));
}

steady_clock::time_point ManualTimerFactory::Now() {
  return steady_clock::time_point(microseconds(clock_.MonotonicMicros()));
}

void ManualTimerFactory::Arm(const std::shared_ptr<State>& state, steady_clock::duration after,
                             std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    ++state->generation;
    state->armed = true;
    state->deadline_us = clock_.MonotonicMicros() + std::chrono::duration_cast<microseconds>(after).count();
    state->fn = std::move(fn);
    ++arms_;
  }
  armed_.notify_all();
}

void ManualTimerFactory::Cancel(const std::shared_ptr<State>& state) {
  std::function<void()> released;  // destroyed outside the lock: it may own the timer's owner
  std::lock_guard lock(mu_);
  ++state->generation;
  state->armed = false;
  released = std::move(state->fn);
}

void ManualTimerFactory::Remove(const State* state) {
  std::function<void()> released;
  std::lock_guard lock(mu_);
  const auto it = std::find_if(timers_.begin(), timers_.end(), [state](const auto& s) { return s.get() == state; });
  if (it == timers_.end()) return;
  ++(*it)->generation;
  released = std::move((*it)->fn);
  timers_.erase(it);
}

size_t ManualTimerFactory::Advance(steady_clock::duration d) {
  struct Due {
    int64_t deadline_us;
    std::shared_ptr<State> state;
    uint64_t generation;
    std::function<void()> fn;
  };
  std::vector<Due> due;
  {
    std::lock_guard lock(mu_);
    clock_.Advance(std::chrono::duration_cast<microseconds>(d).count());
    const int64_t now = clock_.MonotonicMicros();
    for (const auto& state : timers_) {
      if (!state->armed || state->deadline_us > now) continue;
      state->armed = false;
      due.push_back({state->deadline_us, state, state->generation, std::move(state->fn)});
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.deadline_us < b.deadline_us; });
  for (Due& entry : due) {
    boost::asio::post(entry.state->executor, [this, state = entry.state, generation = entry.generation, fn = std::move(entry.fn)] {
      {
        std::lock_guard lock(mu_);
        if (state->generation != generation) return;  // re-armed or cancelled since it fell due
      }
      fn();
    });
  }
  return due.size();
}

bool ManualTimerFactory::WaitForDeadline(steady_clock::time_point deadline, std::chrono::milliseconds wait) {
  const int64_t wanted = std::chrono::duration_cast<microseconds>(deadline.time_since_epoch()).count();
  std::unique_lock lock(mu_);
  return armed_.wait_for(lock, wait, [&] {
    return std::any_of(timers_.begin(), timers_.end(),
                       [&](const auto& s) { return s->armed && s->deadline_us == wanted; });
  });
}

bool ManualTimerFactory::WaitForArms(uint64_t n, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  return armed_.wait_for(lock, wait, [&] { return arms_ >= n; });
}

}  // namespace omnihub::net
