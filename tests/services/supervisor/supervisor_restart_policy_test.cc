#include "services/supervisor/restart_policy.h"

#include <gtest/gtest.h>

#include "common/base/env.h"

namespace omnihub::supervisor {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kSec = 1000 * kMs;

class RestartPolicyTest : public ::testing::Test {
 protected:
  // One run of `ran_us`, then its exit.
  RestartDecision RunFor(int64_t ran_us) {
    policy_.OnStart();
    clock_.Advance(ran_us);
    auto decision = policy_.OnExit();
    clock_.Advance(decision.delay_us);  // the supervisor waits before the next start
    return decision;
  }

  base::ManualClock clock_;
  RestartPolicy policy_{clock_};
};

TEST_F(RestartPolicyTest, FirstExitIsRestartedAfterTheFirstDelay) {
  auto d = RunFor(3 * kSec);
  EXPECT_EQ(d.ran_us, 3 * kSec);
  EXPECT_EQ(d.delay_us, 200 * kMs);
  EXPECT_EQ(d.quick_exits, 1);
  EXPECT_FALSE(d.backing_off);
}

TEST_F(RestartPolicyTest, QuickExitsInARowDoubleTheDelayUpToTheCap) {
  std::vector<int64_t> delays;
  for (int i = 0; i < 12; ++i) delays.push_back(RunFor(50 * kMs).delay_us);
  EXPECT_EQ(delays, (std::vector<int64_t>{200 * kMs, 400 * kMs, 800 * kMs, 1600 * kMs, 3200 * kMs, 6400 * kMs,
                                          12800 * kMs, 25600 * kMs, 30 * kSec, 30 * kSec, 30 * kSec, 30 * kSec}));
}

TEST_F(RestartPolicyTest, FourQuickExitsKeepTheTwoSecondPromiseTheFifthBacksOff) {
  for (int i = 1; i <= 4; ++i) {
    auto d = RunFor(kSec);
    EXPECT_LE(d.delay_us, 2 * kSec) << "exit " << i;
    EXPECT_FALSE(d.backing_off) << "exit " << i;
    EXPECT_EQ(d.quick_exits, i);
  }
  auto fifth = RunFor(kSec);
  EXPECT_TRUE(fifth.backing_off);
  EXPECT_EQ(fifth.quick_exits, 5);
  EXPECT_GT(fifth.delay_us, 2 * kSec);
}

TEST_F(RestartPolicyTest, AStableRunResetsTheBackOff) {
  for (int i = 0; i < 7; ++i) RunFor(0);
  EXPECT_TRUE(RunFor(0).backing_off);
  auto after_stable = RunFor(10 * kSec);  // exactly quick_exit_us counts as stable
  EXPECT_EQ(after_stable.quick_exits, 0);
  EXPECT_EQ(after_stable.delay_us, 200 * kMs);
  EXPECT_FALSE(after_stable.backing_off);
  EXPECT_EQ(RunFor(0).delay_us, 200 * kMs);  // the count starts again from one
  EXPECT_EQ(RunFor(0).delay_us, 400 * kMs);
}

TEST_F(RestartPolicyTest, ARunJustShorterThanStableStillCountsAsQuick) {
  RunFor(0);
  auto d = RunFor(10 * kSec - 1);
  EXPECT_EQ(d.quick_exits, 2);
  EXPECT_EQ(d.delay_us, 400 * kMs);
}

TEST_F(RestartPolicyTest, TheWaitBeforeARestartIsNotPartOfTheRun) {
  // Backing off for 30 s must not make the next run look stable: only time since
  // OnStart counts.
  for (int i = 0; i < 9; ++i) RunFor(0);
  auto d = RunFor(kSec);
  EXPECT_EQ(d.ran_us, kSec);
  EXPECT_EQ(d.delay_us, 30 * kSec);
}

TEST(RestartPolicyOptionsTest, OptionsSetTheDelaysAndThePromise) {
  base::ManualClock clock;
  RestartPolicy policy(clock, {.first_delay_us = 1 * kSec, .max_delay_us = 3 * kSec, .quick_exit_us = 5 * kSec,
                               .prompt_restart_us = 1 * kSec});
  std::vector<std::pair<int64_t, bool>> seen;
  for (int i = 0; i < 4; ++i) {
    policy.OnStart();
    clock.Advance(kSec);
    auto d = policy.OnExit();
    seen.emplace_back(d.delay_us, d.backing_off);
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, bool>>{{1 * kSec, false}, {2 * kSec, true}, {3 * kSec, true},
                                                          {3 * kSec, true}}));
}

}  // namespace
}  // namespace omnihub::supervisor
