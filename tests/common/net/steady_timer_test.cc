// The real timers: that they fire at all and that a superseded wait does not. No elapsed
// wall time is measured.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <vector>

#include "common/net/timer.h"

namespace omnihub::net {
namespace {

using std::chrono::milliseconds;

TEST(SteadyTimerTest, FiresOnceAndOnlyTheLatestArm) {
  boost::asio::io_context io;
  std::vector<int> fired;
  auto timer = SteadyTimers().NewTimer(io.get_executor());
  auto cancelled = SteadyTimers().NewTimer(io.get_executor());
  timer->Arm(milliseconds(1), [&] { fired.push_back(1); });
  timer->Arm(milliseconds(2), [&] { fired.push_back(2); });
  cancelled->Arm(milliseconds(1), [&] { fired.push_back(3); });
  cancelled->Cancel();
  io.run();  // returns when no wait is left
  EXPECT_EQ(fired, std::vector<int>{2});
}

}  // namespace
}  // namespace omnihub::net
