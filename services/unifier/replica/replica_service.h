// A unifier replica in cluster mode, wired to NATS (docs/cluster.md, "Unifier replicas"):
// applies its partition's stream (ReplicaApplier) in place of the single-host ingest
// socket, acks on omni.acks.<publisher>, and every registry_interval writes its entry to
// OMNI_REPLICAS (applied position always; a state digest at every digest_every-th position,
// computed beside the apply loop, and one when it is caught up and idle, at most every
// digest_interval), compares its peers' digests with its own and stops on a divergence. A
// stream that was rewound or recreated under it stops it too: Run returns FailedPrecondition,
// the process exits non-zero, and every restart fails the same way (the stored cursor names
// the old stream), until the operator rebuilds the replica from a peer.
//
// Thread-safety: Run on one thread; Ready from any (metrics are atomic).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/bus/cluster_config.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "services/unifier/replica/nats_ack_publisher.h"
#include "services/unifier/replica/nats_blob_source.h"
#include "services/unifier/replica/background_digest.h"
#include "services/unifier/replica/divergence.h"
#include "services/unifier/replica/nats_replica_registry.h"
#include "services/unifier/replica/replica_applier.h"
#include "services/unifier/replica/replica_metrics.h"

namespace omnihub::unifier::replica {

struct ReplicaServiceOptions {
  uint32_t partition = 0;
  std::string replica_id = {};
  size_t batch_max_frames = 2000;
  std::string query_endpoint = {};  // published in the registry for the query router
  std::string admin_url = {};
  std::chrono::milliseconds registry_interval{500};
  std::chrono::milliseconds digest_interval{2000};
  uint64_t digest_every = 10000;  // positions between digest checkpoints (digest_checkpoints.h); 0: none
};

class ReplicaService {
 public:
  // Connects to the cluster and opens the stream, the blob stream and the registry. Every
  // reference must outlive the service.
  static base::Result<std::unique_ptr<ReplicaService>> Connect(const bus::ClusterConfig& cluster, Store& store,
                                                               BatchProcessor& processor, ReplicaAdmission& admission,
                                                               const event::IdentityNormalizer& normalizer,
                                                               base::Clock& clock, UnifierMetrics& unifier_metrics,
                                                               ReplicaMetrics& metrics, ReplicaServiceOptions options);

  // Applies until `stop`; `on_changes` gets each batch's committed changes. OK on stop;
  // FailedPrecondition for a rewound or recreated stream or a divergence; other errors are
  // the store's.
  base::Status Run(const std::atomic<bool>& stop,
                   const std::function<void(const std::vector<v1::ChangeNotification>&)>& on_changes);

 private:
  ReplicaService() = default;
  // Registry entry, lag, digest and divergence check; `idle`: the last read found nothing.
  base::Status Report(bool idle);
  // A checkpoint's digest starts beside the apply loop; one that finished is published.
  void StartCheckpointDigest(uint64_t position);
  base::Status CollectCheckpointDigest();
  // Remembers and logs this replica's digest at `position`, and publishes it if it is the newest.
  void RecordDigest(uint64_t position, const StateDigest& digest);

  Store* store_ = nullptr;
  ReplicaAdmission* admission_ = nullptr;
  ReplicaMetrics* metrics_ = nullptr;
  ReplicaServiceOptions options_;
  std::unique_ptr<bus::nats::NatsConnection> connection_;
  std::unique_ptr<bus::nats::NatsPartitionLog> log_;
  std::unique_ptr<bus::nats::NatsBlobStore> blob_store_;
  std::unique_ptr<NatsBlobSource> blobs_;
  std::unique_ptr<NatsAckPublisher> acks_;
  std::unique_ptr<NatsReplicaRegistry> registry_;
  std::unique_ptr<ReplicaApplier> applier_;
  std::unique_ptr<BackgroundDigest> checkpoint_digest_;
  DigestHistory digests_;
  ReplicaEntry entry_;
  std::chrono::steady_clock::time_point last_report_{};
  std::chrono::steady_clock::time_point last_digest_{};
};

}  // namespace omnihub::unifier::replica
