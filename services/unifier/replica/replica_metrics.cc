#include "services/unifier/replica/replica_metrics.h"

#include <string>

namespace omnihub::unifier::replica {

ReplicaMetrics::ReplicaMetrics(service::Registry& registry, uint64_t ready_lag)
    : ready_lag_(ready_lag),
      applied_(registry.AddGauge("omnihub_replica_applied_position",
                                 "Stream position of the last frame this replica applied and synced.")),
      stream_last_(registry.AddGauge("omnihub_replica_stream_last_position",
                                     "The partition stream's last position when the replica last looked.")),
      lag_(registry.AddGauge("omnihub_replica_lag_positions",
                             "Positions the replica is behind its stream's last position.")),
      digest_position_(registry.AddGauge("omnihub_replica_digest_position",
                                         "Position of the last state digest this replica published.")),
      diverged_(registry.AddGauge("omnihub_replica_diverged",
                                  "1 when a peer's digest at the same position differed (the replica stops).")),
      blob_fetch_failures_(registry.AddCounter("omnihub_replica_blob_fetch_failures_total",
                                               "Fetches of a frame's blobs from OMNI_BLOBS that failed (retried).")),
      log_unavailable_(registry.AddCounter("omnihub_replica_log_unavailable_total",
                                           "Reads of the partition stream that failed as unavailable (retried).")) {}

void ReplicaMetrics::Observe(uint64_t applied_position, uint64_t stream_last_position) {
  const uint64_t lag = stream_last_position > applied_position ? stream_last_position - applied_position : 0;
  applied_.Set(static_cast<double>(applied_position));
  stream_last_.Set(static_cast<double>(stream_last_position));
  lag_.Set(static_cast<double>(lag));
  lag_now_.store(lag);
  seen_stream_.store(true);
}

void ReplicaMetrics::Applied(uint64_t applied_position) { applied_.Set(static_cast<double>(applied_position)); }

void ReplicaMetrics::DigestComputed(uint64_t position) { digest_position_.Set(static_cast<double>(position)); }

void ReplicaMetrics::Diverged() {
  diverged_.Set(1);
  diverged_now_.store(true);
}

base::Status ReplicaMetrics::Ready() const {
  if (diverged_now_.load()) return base::Status::Unavailable("the replica diverged from a peer (see its log)");
  if (!seen_stream_.load()) return base::Status::Unavailable("the replica has not read its stream's state yet");
  if (const uint64_t lag = lag_now_.load(); lag > ready_lag_) {
    return base::Status::Unavailable("the replica is " + std::to_string(lag) + " positions behind its stream (more than " +
                                     std::to_string(ready_lag_) + ")");
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::replica
