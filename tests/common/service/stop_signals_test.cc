// StopSignals with real signals sent to this process: SIGHUP runs the hang-up action and the
// wait goes on; SIGTERM ends it.
#include "common/service/stop_signals.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace omnihub::service {
namespace {

TEST(StopSignalsTest, HangUpRunsItsActionAndTheWaitGoesOnUntilTerm) {
  std::mutex mu;
  std::condition_variable cv;
  int hangups = 0;
  int stopped_by = 0;
  StopSignals signals([&] {
    std::lock_guard lock(mu);
    ++hangups;
    cv.notify_all();
  });
  signals.WaitInBackground([&](int number) {
    std::lock_guard lock(mu);
    stopped_by = number;
    cv.notify_all();
  });
  std::unique_lock lock(mu);
  for (int expected = 1; expected <= 2; ++expected) {
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return hangups == expected; }));
    EXPECT_EQ(stopped_by, 0);
    EXPECT_FALSE(signals.stopping());
  }
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return stopped_by != 0; }));
  EXPECT_EQ(stopped_by, SIGTERM);
  EXPECT_TRUE(signals.stopping());
  EXPECT_EQ(hangups, 2);
}

}  // namespace
}  // namespace omnihub::service
