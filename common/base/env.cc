#include "common/base/env.h"

#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

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

uint64_t SecureRandom::Next64() {
  uint64_t v = 0;
  auto* bytes = reinterpret_cast<char*>(&v);
  size_t done = 0;
  while (done < sizeof v) {
    const ssize_t n = ::getrandom(bytes + done, sizeof v - done, 0);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      // Without the kernel's randomness no secret can be made safely; getrandom(2) only fails
      // like this on kernels older than 3.17, which omnihub does not support.
      std::abort();
    }
  }
  return v;
}

}  // namespace omnihub::base
