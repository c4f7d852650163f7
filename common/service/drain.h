// Drain: the deadline of a graceful stop, shared by every service. On SIGTERM a service stops
// taking new work (its servers answer 421/503 from then on), then waits here until the work it
// had already taken is done — an SMTP transaction, an HTTP request owed an answer, the
// unifier's batch — or until `timeout` has passed since Begin(). Past the deadline the caller
// logs what was abandoned (InFlight()) and exits non-zero: acknowledged work is durable in an
// outbox or the store either way, so abandoning costs a retry, never a message.
//
// The waiting polls the tracked counts on a Clock and sleeps through a Sleep function, so that
// tests run it on a base::ManualClock whose sleep advances the clock instead of sleeping.
//
// Thread-safety: Track() before Begin(), from one thread. Begin(), draining(), WaitIdle() and
// InFlight() from any thread; the counting functions are called on the thread in WaitIdle().
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/service/readiness.h"

namespace omnihub::service {

class Drain {
 public:
  using Sleep = std::function<void(std::chrono::microseconds)>;
  // How often WaitIdle looks at the counts: short against any deadline, long enough to cost nothing.
  static constexpr std::chrono::microseconds kPollInterval{10'000};

  // `clock` outlives the Drain. `sleep` defaults to std::this_thread::sleep_for.
  Drain(base::Clock& clock, std::chrono::milliseconds timeout, Sleep sleep = {});

  // One kind of work that must finish before the process stops: `what` names a unit of it in
  // log lines ("SMTP transaction"), `in_flight` counts the units not yet done.
  void Track(std::string what, std::function<size_t()> in_flight);

  // The deadline starts now. Idempotent: a second stop signal does not extend it.
  void Begin();
  bool draining() const { return began_us_.load() >= 0; }

  // Returns Ok as soon as nothing tracked is in flight; Unavailable("shutdown deadline of N ms
  // passed with ... still in flight") once the deadline has passed. Begin() first.
  base::Status WaitIdle();

  // "2 SMTP transactions, 1 HTTP request" for the counts that are not zero; "" when idle.
  std::string InFlight() const;

  // What a refused client is told to wait before retrying (HTTP Retry-After): the timeout in
  // whole seconds, rounded up, at least 1 — by then this process is gone and a restarted one
  // (or another instance) answers.
  int retry_after_s() const;
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  struct Work {
    std::string what;
    std::function<size_t()> in_flight;
  };

  base::Clock& clock_;
  const std::chrono::milliseconds timeout_;
  const Sleep sleep_;
  std::vector<Work> work_;
  std::atomic<int64_t> began_us_{-1};  // monotonic microseconds of Begin(); -1 before
};

// A readiness check "shutdown" that fails from Begin() on with the reason "draining: ...", so
// that GET /readyz answers 503 and omnihub_ready drops to 0 while the work in flight finishes:
// a load balancer or orchestrator stops sending here before the listener is gone. Add before
// the admin listener starts; the drain outlives the readiness.
void AddDrainReadiness(Readiness& readiness, const Drain& drain);

// Logs how the stop went and returns main's exit code: 0 after "stopped cleanly", 1 with the
// abandoned work logged when WaitIdle ran out of time.
int StoppedExitCode(const base::Status& drained);

}  // namespace omnihub::service
