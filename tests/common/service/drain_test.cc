// Drain on a simulated clock: its sleep advances the clock, so the deadline is exact and
// nothing sleeps.
#include "common/service/drain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>

#include "common/base/env.h"

namespace omnihub::service {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

class DrainTest : public ::testing::Test {
 protected:
  // Every poll interval slept passes on the manual clock, and `on_sleep` runs (work finishing).
  Drain MakeDrain(milliseconds timeout) {
    return Drain(clock_, timeout, [this](microseconds d) {
      ++sleeps_;
      clock_.Advance(d.count());
      if (on_sleep_) on_sleep_();
    });
  }

  base::ManualClock clock_;
  int sleeps_ = 0;
  std::function<void()> on_sleep_;
};

TEST_F(DrainTest, NothingInFlightReturnsAtOnce) {
  Drain drain = MakeDrain(milliseconds(10000));
  drain.Track("HTTP request", [] { return size_t{0}; });
  EXPECT_FALSE(drain.draining());
  drain.Begin();
  EXPECT_TRUE(drain.draining());
  EXPECT_TRUE(drain.WaitIdle().ok());
  EXPECT_EQ(sleeps_, 0);
  EXPECT_EQ(drain.InFlight(), "");
}

TEST_F(DrainTest, ReturnsAsSoonAsTheLastWorkFinishes) {
  Drain drain = MakeDrain(milliseconds(10000));
  size_t requests = 2;
  size_t transactions = 1;
  drain.Track("HTTP request", [&] { return requests; });
  drain.Track("SMTP transaction", [&] { return transactions; });
  drain.Begin();
  EXPECT_EQ(drain.InFlight(), "2 HTTP requests, 1 SMTP transaction");
  on_sleep_ = [&] {
    if (sleeps_ == 3) requests = 0;
    if (sleeps_ == 5) transactions = 0;
  };
  const int64_t began = clock_.MonotonicMicros();
  EXPECT_TRUE(drain.WaitIdle().ok());
  EXPECT_EQ(sleeps_, 5);
  EXPECT_EQ(clock_.MonotonicMicros() - began, 5 * Drain::kPollInterval.count());
}

TEST_F(DrainTest, GivesUpExactlyAtTheDeadlineNamingWhatIsLeft) {
  Drain drain = MakeDrain(milliseconds(1005));  // not a multiple of the poll interval
  drain.Track("HTTP request", [] { return size_t{1}; });
  drain.Track("SMTP transaction", [] { return size_t{3}; });
  const int64_t began = clock_.MonotonicMicros();
  drain.Begin();
  clock_.Advance(1000);  // a second Begin() (another SIGTERM) does not move the deadline
  drain.Begin();
  const base::Status s = drain.WaitIdle();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(clock_.MonotonicMicros() - began, 1'005'000);
  EXPECT_EQ(s.message(), "shutdown deadline of 1005 ms passed with 1 HTTP request, 3 SMTP transactions still in flight");
  EXPECT_EQ(StoppedExitCode(s), 1);
  EXPECT_EQ(StoppedExitCode(base::Status::Ok()), 0);
}

TEST_F(DrainTest, WorkFinishingAtTheLastPollStillCountsAsClean) {
  Drain drain = MakeDrain(milliseconds(50));
  size_t requests = 1;
  drain.Track("HTTP request", [&] { return requests; });
  on_sleep_ = [&] {
    if (clock_.MonotonicMicros() - 1'700'000'000'000'000 >= 50'000) requests = 0;
  };
  drain.Begin();
  EXPECT_TRUE(drain.WaitIdle().ok());
}

TEST_F(DrainTest, RetryAfterIsTheTimeoutInWholeSecondsRoundedUp) {
  EXPECT_EQ(MakeDrain(milliseconds(100)).retry_after_s(), 1);
  EXPECT_EQ(MakeDrain(milliseconds(1000)).retry_after_s(), 1);
  EXPECT_EQ(MakeDrain(milliseconds(1001)).retry_after_s(), 2);
  EXPECT_EQ(MakeDrain(milliseconds(10000)).retry_after_s(), 10);
}

TEST_F(DrainTest, ReadinessFailsOnceTheDrainBegins) {
  Drain drain = MakeDrain(milliseconds(10000));
  Readiness readiness;
  AddDrainReadiness(readiness, drain);
  EXPECT_TRUE(readiness.Evaluate().ready);
  drain.Begin();
  const ReadinessReport report = readiness.Evaluate();
  EXPECT_FALSE(report.ready);
  EXPECT_NE(report.json.find("\"shutdown\":{\"ok\":false,\"reason\":\"draining: "), std::string::npos)
      << report.json;
}

}  // namespace
}  // namespace omnihub::service
