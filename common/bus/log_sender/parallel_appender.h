// Several appends to the partition log in flight at once: one synchronous JetStream publish
// waits a round trip to the stream leader and on to a second replica (about 2 k/s for one
// publisher on R3, docs/cluster.md "Append rate"), so an adapter's sender hands a round of
// frames to `parallelism` threads, each appending one frame after the other, and waits for
// the round. Within a round frames may land in the log out of sequence order; the
// replicas' per-publisher marks take them in any order (docs/cluster.md).
//
// Thread-safety: AppendAll is called by one thread (the sender's) at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/base/worker_pool.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus {

struct LogAppendRequest {
  uint32_t partition = 0;
  std::string message_id;
  std::string frame;
};

class ParallelAppender {
 public:
  // `log` must outlive the appender. With `parallelism` 1 the appends run on the caller's
  // thread, one after the other.
  ParallelAppender(PartitionLogWriter& log, size_t parallelism);

  // Appends every request and returns each one's result, in request order.
  std::vector<base::Result<LogAppendAck>> AppendAll(const std::vector<LogAppendRequest>& requests);

 private:
  PartitionLogWriter& log_;
  const size_t parallelism_;
  std::unique_ptr<base::WorkerPool> pool_;  // only with parallelism > 1
};

}  // namespace omnihub::bus
