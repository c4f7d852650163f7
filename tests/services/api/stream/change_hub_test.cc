// The hub's own thread: it serves streams until Stop, which closes them and every later one.
#include <memory>

#include <gtest/gtest.h>

#include "services/api/stream/change_hub.h"
#include "tests/services/api/stream/fake_unifier.h"

namespace omnihub::api::stream {
namespace {

TEST(ChangeHubTest, StopClosesEveryStreamAndLaterOnesAtOnce) {
  base::ManualClock clock;
  testing::FakeUnifier hub(clock);  // not touched by this thread while the hub runs
  auto changes = StartChangeHub({}, hub, hub, clock);
  auto served = std::make_shared<testing::CapturedStream>();
  changes->Open(served, 0, nullptr);
  changes->Stop();
  changes->Stop();  // idempotent
  EXPECT_TRUE(served->closed);
  ASSERT_FALSE(served->Events().empty());
  EXPECT_EQ(served->Events()[0].retry, 2000);

  auto late = std::make_shared<testing::CapturedStream>();
  changes->Open(late, 0, nullptr);
  EXPECT_TRUE(late->closed);
  EXPECT_EQ(late->writes, 0);
}

}  // namespace
}  // namespace omnihub::api::stream
