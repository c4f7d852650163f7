#include "common/bus/log_sender/parallel_appender.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace omnihub::bus {

ParallelAppender::ParallelAppender(PartitionLogWriter& log, size_t parallelism)
    : log_(log), parallelism_(std::max<size_t>(1, parallelism)) {
  if (parallelism_ > 1) pool_ = std::make_unique<base::WorkerPool>(parallelism_);
}

std::vector<base::Result<LogAppendAck>> ParallelAppender::AppendAll(const std::vector<LogAppendRequest>& requests) {
  std::vector<std::optional<base::Result<LogAppendAck>>> results(requests.size());
  const auto append = [&](size_t i) {
    results[i] = log_.Append(requests[i].partition, requests[i].message_id, requests[i].frame);
  };
  const size_t workers = std::min(parallelism_, requests.size());
  if (workers <= 1) {
    for (size_t i = 0; i < requests.size(); ++i) append(i);
  } else {
    // Each worker takes the next request until none is left: `workers` appends in flight.
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::condition_variable done_cv;
    size_t done = 0;
    for (size_t w = 0; w < workers; ++w) {
      pool_->Submit([&] {
        for (size_t i = next.fetch_add(1); i < requests.size(); i = next.fetch_add(1)) append(i);
        std::lock_guard lock(mu);
        ++done;
        done_cv.notify_one();
      });
    }
    std::unique_lock lock(mu);
    done_cv.wait(lock, [&] { return done == workers; });
  }
  std::vector<base::Result<LogAppendAck>> out;
  out.reserve(results.size());
  for (auto& result : results) out.push_back(std::move(*result));
  return out;
}

}  // namespace omnihub::bus
