// A fixed pool of threads that runs submitted jobs in order of submission. Adapters
// hand it the work that waits for a synced disk write (an outbox append), so their
// event loop never blocks; many workers waiting at once is what lets the outbox's group
// commit share one sync among them.
//
// Thread-safety: Submit may be called from any thread. The destructor runs every job
// already submitted, then joins the threads; call it from a thread that is not a worker.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace omnihub::base {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> job);
  // Jobs submitted and not yet started (for metrics and tests).
  size_t queued() const;

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace omnihub::base
