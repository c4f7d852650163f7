// The omnihub_replica_* series of a unifier in cluster mode (docs/operations.md), and the
// replica's readiness: /readyz fails until the replica has seen its stream's last position,
// while it is more than `ready_lag` positions behind it, and for good after a divergence.
//
// Thread-safety: the apply thread writes; the admin listener reads (atomics).
#pragma once

#include <atomic>
#include <cstdint>

#include "common/base/status.h"
#include "common/service/metrics.h"

namespace omnihub::unifier::replica {

class ReplicaMetrics {
 public:
  ReplicaMetrics(service::Registry& registry, uint64_t ready_lag);

  // After each look at the stream: what is applied and where the stream ends.
  void Observe(uint64_t applied_position, uint64_t stream_last_position);
  void Applied(uint64_t applied_position);
  void DigestComputed(uint64_t position);
  void Diverged();
  void BlobFetchFailed() { blob_fetch_failures_.Increment(); }
  void LogUnavailable() { log_unavailable_.Increment(); }

  // OK when serving from this replica is fine (see above).
  base::Status Ready() const;

 private:
  const uint64_t ready_lag_;
  service::Gauge& applied_;
  service::Gauge& stream_last_;
  service::Gauge& lag_;
  service::Gauge& digest_position_;
  service::Gauge& diverged_;
  service::Counter& blob_fetch_failures_;
  service::Counter& log_unavailable_;
  std::atomic<uint64_t> lag_now_{0};
  std::atomic<bool> seen_stream_{false};
  std::atomic<bool> diverged_now_{false};
};

}  // namespace omnihub::unifier::replica
