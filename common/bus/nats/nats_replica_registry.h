// The replica registry of cluster mode: the KV bucket OMNI_REPLICAS (file storage, as many
// copies as [cluster] replicas, history 1), key `p<NN>.<replica_id>`, value a ReplicaEntry's
// JSON (common/bus/routing/replica_entry.h), written by every unifier replica at least every
// 500 ms. Query routers watch it into a ReplicaDirectory; replicas (and tests) Put their
// entries.
//
// The watch runs on a thread of its own. Replicas write every 500 ms, so a watch that
// delivers nothing for 2 s has probably lost its consumer (its server went away): it is made
// again, and brings every current entry anew.
//
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/routing/replica_directory.h"
#include "common/bus/routing/replica_entry.h"

namespace omnihub::bus::nats {

// The bucket itself, created (file storage, `replicas` copies, history 1) when it does not
// exist: the one place that makes it, for `omnihubctl cluster init`, the replicas writing it
// (services/unifier/replica/nats_replica_registry.h) and the query routers watching it.
base::Result<NatsPtr<kvStore>> OpenReplicaRegistryBucket(NatsConnection& connection, int replicas);

class NatsReplicaRegistry {
 public:
  // Opens the bucket, creating it when it does not exist. `connection` must outlive it.
  static base::Result<std::unique_ptr<NatsReplicaRegistry>> Open(NatsConnection& connection, int replicas);
  ~NatsReplicaRegistry();
  NatsReplicaRegistry(const NatsReplicaRegistry&) = delete;
  NatsReplicaRegistry& operator=(const NatsReplicaRegistry&) = delete;

  // Writes `entry` under its key.
  base::Status Put(const ReplicaEntry& entry);

  // Fills `directory` with the current entries (waits up to 2 s for them), then keeps it up to
  // date on a thread until this registry is destroyed. Entries that do not parse are logged
  // and left out. Once only; `directory` must outlive the registry.
  base::Status Watch(ReplicaDirectory& directory);

 private:
  explicit NatsReplicaRegistry(NatsPtr<kvStore> kv) : kv_(std::move(kv)) {}
  // Follows the bucket into `directory` until stopped or the watch goes quiet; sets loaded_
  // once the current entries are in.
  void Follow(ReplicaDirectory& directory);

  NatsPtr<kvStore> kv_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> loaded_{false};
  std::thread thread_;
};

}  // namespace omnihub::bus::nats
