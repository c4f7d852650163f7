#include "common/base/env.h"

#include <chrono>

namespace omnihub::base {

int64_t SystemClock::NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SystemClock::MonotonicMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

SystemRandom::SystemRandom() {
  std::random_device rd;
  engine_.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
}

uint64_t SystemRandom::Next64() {
  std::lock_guard lock(mu_);
  return engine_();
}

}  // namespace omnihub::base
