// LowerThisThreadPriority: changes the calling thread's nice value and no other thread's.
#include "common/service/thread_priority.h"

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

namespace omnihub::service {
namespace {

TEST(ThreadPriorityTest, LowersOnlyTheCallingThread) {
  const int main_before = ThisThreadNice();
  int before = 0;
  int after = 0;
  base::Status status;
  std::thread worker([&] {
    before = ThisThreadNice();
    status = LowerThisThreadPriority(5);
    after = ThisThreadNice();
  });
  worker.join();
  ASSERT_TRUE(status.ok()) << status.ToString();
  // Capped at 19: under `nice -n 19 ctest` the thread is there already.
  EXPECT_EQ(after, std::min(before + 5, 19));
  EXPECT_EQ(ThisThreadNice(), main_before);
}

TEST(ThreadPriorityTest, RefusesAnIncrementOutsideTheRange) {
  const int before = ThisThreadNice();
  for (int increment : {0, -1, 20}) {
    base::Status status = LowerThisThreadPriority(increment);
    EXPECT_EQ(status.code(), base::StatusCode::kInvalidArgument) << increment;
    EXPECT_NE(status.message().find("1-19"), std::string::npos) << status.message();
  }
  EXPECT_EQ(ThisThreadNice(), before);
}

}  // namespace
}  // namespace omnihub::service
