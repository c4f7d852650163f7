// The replica registry on NATS: the key-value bucket OMNI_REPLICAS (file storage, as many
// copies as [cluster] replicas, history 1), one entry per replica (replica_entry.h), which
// each replica rewrites at least every 500 ms and which the query router and the replicas'
// divergence check read.
//
// List reads the bucket with ReadKeyValueBucket (common/bus/nats/nats_kv.h), not a KV
// watcher: no consumer is made twice a second per replica, and libnats 3.4.1's watcher has
// crashed a process when made during an election.
//
// Thread-safety: thread-safe (the NATS KV handle is; List's requests are serialised).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/bus/nats/jetstream_requests.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "services/unifier/replica/replica_entry.h"

namespace omnihub::unifier::replica {

class NatsReplicaRegistry {
 public:
  // Opens the bucket, creating it with `replicas` copies when it does not exist.
  // `connection` must outlive the registry.
  static base::Result<std::unique_ptr<NatsReplicaRegistry>> Open(bus::nats::NatsConnection& connection, int replicas);

  base::Status Put(const ReplicaEntry& entry);
  // Every entry of `partition` (unreadable ones are skipped with a warning).
  base::Result<std::vector<ReplicaEntry>> List(uint32_t partition) const;

 private:
  NatsReplicaRegistry(bus::nats::NatsConnection& connection, bus::nats::NatsPtr<kvStore> kv)
      : kv_(std::move(kv)), requests_(connection) {}
  bus::nats::NatsPtr<kvStore> kv_;
  mutable std::mutex mu_;
  mutable bus::nats::JetStreamRequests requests_;  // guarded by mu_
};

}  // namespace omnihub::unifier::replica
