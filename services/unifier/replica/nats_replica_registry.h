// The replica registry on NATS: the key-value bucket OMNI_REPLICAS (file storage, as many
// copies as [cluster] replicas, history 1), one entry per replica (replica_entry.h), which
// each replica rewrites at least every 500 ms and which the query router and the replicas'
// divergence check read.
//
// Thread-safety: thread-safe (the NATS KV handle is).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

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
  explicit NatsReplicaRegistry(bus::nats::NatsPtr<kvStore> kv) : kv_(std::move(kv)) {}
  bus::nats::NatsPtr<kvStore> kv_;
};

}  // namespace omnihub::unifier::replica
