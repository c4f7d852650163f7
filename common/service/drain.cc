#include "common/service/drain.h"

#include <algorithm>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

namespace omnihub::service {

Drain::Drain(base::Clock& clock, std::chrono::milliseconds timeout, Sleep sleep)
    : clock_(clock),
      timeout_(timeout),
      sleep_(sleep ? std::move(sleep) : Sleep([](std::chrono::microseconds d) { std::this_thread::sleep_for(d); })) {}

void Drain::Track(std::string what, std::function<size_t()> in_flight) {
  work_.push_back({std::move(what), std::move(in_flight)});
}

void Drain::Begin() {
  int64_t unset = -1;
  began_us_.compare_exchange_strong(unset, clock_.MonotonicMicros());
}

base::Status Drain::WaitIdle() {
  Begin();  // a caller that forgot still gets a deadline
  const int64_t deadline_us = began_us_.load() + std::chrono::microseconds(timeout_).count();
  while (true) {
    const std::string in_flight = InFlight();
    if (in_flight.empty()) return base::Status::Ok();
    const int64_t now_us = clock_.MonotonicMicros();
    if (now_us >= deadline_us) {
      return base::Status::Unavailable("shutdown deadline of " + std::to_string(timeout_.count()) +
                                       " ms passed with " + in_flight + " still in flight");
    }
    sleep_(std::min(kPollInterval, std::chrono::microseconds(deadline_us - now_us)));
  }
}

std::string Drain::InFlight() const {
  std::string out;
  for (const Work& work : work_) {
    const size_t n = work.in_flight();
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + work.what + (n == 1 ? "" : "s");
  }
  return out;
}

int Drain::retry_after_s() const {
  const auto ms = timeout_.count();
  return ms <= 1000 ? 1 : static_cast<int>((ms + 999) / 1000);
}

void AddDrainReadiness(Readiness& readiness, const Drain& drain) {
  readiness.Add("shutdown", [&drain] {
    return drain.draining() ? base::Status::Unavailable("draining: finishing the work in flight, taking no more")
                            : base::Status::Ok();
  });
}

int StoppedExitCode(const base::Status& drained) {
  if (!drained.ok()) {
    spdlog::error("stopped uncleanly: {}; abandoned (acknowledged work is durable, the rest is retried by its senders)",
                  drained.message());
    return 1;
  }
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace omnihub::service
