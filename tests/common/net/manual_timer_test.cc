// ManualTimerFactory on a real io_context that the test runs itself (poll), so every step is
// deterministic.
#include "common/net/manual_timer.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace omnihub::net {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

class ManualTimerTest : public ::testing::Test {
 protected:
  base::ManualClock clock_;
  ManualTimerFactory timers_{clock_};
  boost::asio::io_context io_;
  std::vector<int> fired_;
};

TEST_F(ManualTimerTest, FiresExactlyWhenDueOnItsExecutor) {
  auto timer = timers_.NewTimer(io_.get_executor());
  const auto start = timers_.Now();
  timer->Arm(milliseconds(200), [this] { fired_.push_back(1); });
  EXPECT_TRUE(timers_.WaitForDeadline(start + milliseconds(200), milliseconds(0)));
  EXPECT_EQ(timers_.Advance(milliseconds(200) - microseconds(1)), 0u);
  io_.poll();
  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(timers_.Advance(microseconds(1)), 1u);
  EXPECT_TRUE(fired_.empty());  // posted, not called inside Advance
  io_.restart();
  io_.poll();
  EXPECT_EQ(fired_, std::vector<int>{1});
  EXPECT_EQ(timers_.Now() - start, milliseconds(200));
  EXPECT_EQ(timers_.Advance(milliseconds(1000)), 0u);  // fired once, now disarmed
}

TEST_F(ManualTimerTest, RearmingOrCancellingSupersedesAnAlreadyDueCallback) {
  auto a = timers_.NewTimer(io_.get_executor());
  auto b = timers_.NewTimer(io_.get_executor());
  a->Arm(milliseconds(10), [this] { fired_.push_back(1); });
  b->Arm(milliseconds(10), [this] { fired_.push_back(2); });
  EXPECT_EQ(timers_.Advance(milliseconds(10)), 2u);
  // Both callbacks are queued; the owners change their minds before they run.
  a->Arm(milliseconds(5), [this] { fired_.push_back(3); });
  b->Cancel();
  io_.poll();
  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(timers_.Advance(milliseconds(5)), 1u);
  io_.restart();
  io_.poll();
  EXPECT_EQ(fired_, std::vector<int>{3});
  EXPECT_EQ(timers_.WaitForArms(3, milliseconds(0)), true);
  EXPECT_EQ(timers_.WaitForArms(4, milliseconds(0)), false);
}

TEST_F(ManualTimerTest, DestroyedTimerNeverFires) {
  auto timer = timers_.NewTimer(io_.get_executor());
  timer->Arm(milliseconds(1), [this] { fired_.push_back(1); });
  EXPECT_EQ(timers_.Advance(milliseconds(1)), 1u);
  timer.reset();
  io_.poll();
  EXPECT_TRUE(fired_.empty());
  auto other = timers_.NewTimer(io_.get_executor());
  other->Arm(milliseconds(1), [this] { fired_.push_back(2); });
  other.reset();
  EXPECT_EQ(timers_.Advance(milliseconds(1)), 0u);
}

TEST_F(ManualTimerTest, DueTimersFireEarliestFirst) {
  auto late = timers_.NewTimer(io_.get_executor());
  auto early = timers_.NewTimer(io_.get_executor());
  late->Arm(milliseconds(30), [this] { fired_.push_back(30); });
  early->Arm(milliseconds(10), [this] { fired_.push_back(10); });
  EXPECT_EQ(timers_.Advance(milliseconds(30)), 2u);
  io_.poll();
  EXPECT_EQ(fired_, (std::vector<int>{10, 30}));
}

}  // namespace
}  // namespace omnihub::net
