// What the benchmarks that start their own NATS cluster (omnihub-bench-log-sender,
// omnihub-bench-cluster) do before appending: make the partition streams on a cluster that
// has just started.
//
// Thread-safety: blocks its caller.
#pragma once

#include <chrono>
#include <thread>

#include "common/base/status.h"
#include "common/bus/nats/nats_partition_log.h"

namespace omnihub::bench {

// A new cluster elects its JetStream meta leader first: until then making a stream times
// out. Tries log.EnsureStreams() for about 15 s; the last error when it never succeeds.
inline base::Status EnsureStreamsOnNewCluster(bus::nats::NatsPartitionLog& log) {
  base::Status made = log.EnsureStreams();
  for (int attempt = 0; !made.ok() && attempt < 15; ++attempt) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    made = log.EnsureStreams();
  }
  return made;
}

}  // namespace omnihub::bench
