// The replica registry of cluster mode: the KV bucket OMNI_REPLICAS (file storage, as many
// copies as [cluster] replicas, history 1), key `p<NN>.<replica_id>`, value a ReplicaEntry's
// JSON (common/bus/routing/replica_entry.h), written by every unifier replica at least every
// 500 ms. Query routers watch it into a ReplicaDirectory; replicas (and tests) Put their
// entries.
//
// The watch runs on a thread of its own and reads the whole bucket every 250 ms
// (ReadKeyValueBucket: a few requests answered by the bucket's leader, no consumer), which
// keeps the directory within 250 ms of the replicas' writes - they write every 500 ms, and a
// router takes a replica for down 3 s after its last write. It is not a KV watcher: making
// one while the cluster elects a leader has crashed the process inside libnats 3.4.1.
//
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/jetstream_requests.h"
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
  NatsReplicaRegistry(NatsConnection& connection, NatsPtr<kvStore> kv)
      : connection_(connection), kv_(std::move(kv)) {}
  // Reads the bucket once into `directory`: puts every entry, removes those gone since the
  // last read (`known` holds their keys); sets loaded_ once it succeeded.
  void Poll(JetStreamRequests& requests, ReplicaDirectory& directory, std::set<std::string>& known);

  NatsConnection& connection_;
  NatsPtr<kvStore> kv_;
  bool failing_ = false;  // the last Poll failed (warned once per streak); the watch thread only
  std::atomic<bool> stop_{false};
  std::atomic<bool> loaded_{false};
  std::thread thread_;
};

}  // namespace omnihub::bus::nats
