// The seam between omnihub logic and the operating system's clocks and randomness.
//
// Logic takes a Clock& / RandomSource& in its constructor instead of calling the OS,
// so tests can advance a ManualClock instead of sleeping and get reproducible ids
// from a SeededRandom. Implementations here are thread-safe unless noted.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>

namespace omnihub::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, microseconds since the Unix epoch (UTC). For timestamps only.
  virtual int64_t NowMicros() = 0;
  // Monotonic microseconds from an arbitrary origin. For timeouts and intervals.
  virtual int64_t MonotonicMicros() = 0;
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t Next64() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMicros() override;
  int64_t MonotonicMicros() override;
};

// Seeded from std::random_device; guarded by a mutex.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  uint64_t Next64() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

// Test clock: time moves only when told to. Both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_us = 1'700'000'000'000'000) : now_(start_us) {}
  int64_t NowMicros() override { return now_.load(); }
  int64_t MonotonicMicros() override { return now_.load(); }
  void Advance(int64_t us) { now_.fetch_add(us); }
  void Set(int64_t us) { now_.store(us); }

 private:
  std::atomic<int64_t> now_;
};

// Deterministic random source for tests.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  uint64_t Next64() override {
    std::lock_guard lock(mu_);
    return engine_();
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

}  // namespace omnihub::base
