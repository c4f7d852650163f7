// RateLimiter on a simulated clock: the burst, refill at the token's own or the default rate,
// the seconds to wait, and buckets kept per token.
#include "services/api/auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace omnihub::api::auth {
namespace {

constexpr int64_t kSecond = 1'000'000;

TEST(RateLimiterTest, DefaultRateAllowsTheBurstThenRefills) {
  base::ManualClock clock;
  RateLimiter limiter(clock, /*default_per_s=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Admit("a", 0), 0u) << i;
  EXPECT_EQ(limiter.Admit("a", 0), 1u);
  clock.Advance(kSecond / 2 - 1);
  EXPECT_EQ(limiter.Admit("a", 0), 1u) << "not quite one request refilled yet";
  clock.Advance(1);
  EXPECT_EQ(limiter.Admit("a", 0), 0u);
  EXPECT_EQ(limiter.Admit("a", 0), 1u);
}

TEST(RateLimiterTest, ATokensOwnRateCapsItsBurst) {
  base::ManualClock clock;
  RateLimiter limiter(clock, 50, 200);
  EXPECT_EQ(limiter.Admit("slow", 1), 0u);
  EXPECT_EQ(limiter.Admit("slow", 1), 1u);
  clock.Advance(kSecond - 1);
  EXPECT_EQ(limiter.Admit("slow", 1), 1u);
  clock.Advance(1);
  EXPECT_EQ(limiter.Admit("slow", 1), 0u);
  // A long pause refills only up to the burst (one request at 1/s), not ten.
  clock.Advance(10 * kSecond);
  EXPECT_EQ(limiter.Admit("slow", 1), 0u);
  EXPECT_EQ(limiter.Admit("slow", 1), 1u);
}

TEST(RateLimiterTest, BucketsArePerToken) {
  base::ManualClock clock;
  RateLimiter limiter(clock, 1, 1);
  EXPECT_EQ(limiter.Admit("a", 0), 0u);
  EXPECT_EQ(limiter.Admit("a", 0), 1u);
  EXPECT_EQ(limiter.Admit("b", 0), 0u) << "another token is not slowed by the first";
}

TEST(RateLimiterTest, RefusedRequestsDoNotPostponeTheRefill) {
  base::ManualClock clock;
  RateLimiter limiter(clock, 50, 200);
  EXPECT_EQ(limiter.Admit("t", 2), 0u);
  EXPECT_EQ(limiter.Admit("t", 2), 0u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.Admit("t", 2), 1u);
    clock.Advance(kSecond / 10);
  }
  // 0.5 s passed while refused: at 2/s exactly one request is back.
  EXPECT_EQ(limiter.Admit("t", 2), 0u);
  EXPECT_EQ(limiter.Admit("t", 2), 1u);
}

// Requests on several workers read the clock before they take the limiter's lock, so one may
// arrive with an older time than the last update: that must not take requests from the bucket.
TEST(RateLimiterTest, AnOlderClockReadingDoesNotDrainTheBucket) {
  base::ManualClock clock;
  RateLimiter limiter(clock, 50, 200);
  EXPECT_EQ(limiter.Admit("fast", 1000000), 0u);
  const int64_t earlier = clock.MonotonicMicros();
  clock.Advance(1000);
  EXPECT_EQ(limiter.Admit("fast", 1000000), 0u);
  clock.Set(earlier);  // 1 ms behind: at 1,000,000/s a negative refill would be -1000 requests
  EXPECT_EQ(limiter.Admit("fast", 1000000), 0u);
  clock.Set(earlier + 1000);
  EXPECT_EQ(limiter.Admit("fast", 1000000), 0u);
}

}  // namespace
}  // namespace omnihub::api::auth
