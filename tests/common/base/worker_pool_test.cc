#include "common/base/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace omnihub::base {
namespace {

TEST(WorkerPoolTest, DestructorRunsEveryJobAlreadySubmitted) {
  std::atomic<int> ran{0};
  {
    base::WorkerPool pool(2);
    for (int i = 0; i < 1000; ++i) pool.Submit([&ran] { ran.fetch_add(1); });
  }
  EXPECT_EQ(ran.load(), 1000);
}

TEST(WorkerPoolTest, JobsRunConcurrentlyUpToThePoolSize) {
  // Eight jobs that each wait until all eight have started: only a pool that runs them at
  // once gets past the barrier (a one-thread pool would wait forever).
  constexpr int kJobs = 8;
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  {
    base::WorkerPool pool(kJobs);
    for (int i = 0; i < kJobs; ++i) {
      pool.Submit([&] {
        std::unique_lock lock(mu);
        ++started;
        cv.notify_all();
        cv.wait(lock, [&] { return started == kJobs; });
      });
    }
  }
  EXPECT_EQ(started, kJobs);
}

TEST(WorkerPoolTest, ZeroThreadsStillRunsJobs) {
  std::atomic<bool> ran{false};
  {
    base::WorkerPool pool(0);
    pool.Submit([&ran] { ran = true; });
  }
  EXPECT_TRUE(ran.load());
}

}  // namespace
}  // namespace omnihub::base
