// One replica's entry in the replica registry (KV bucket OMNI_REPLICAS, docs/cluster.md
// "Unifier replicas"): key p<NN>.<replica_id>, value JSON
//   {"replica_id":"...","partition":N,"query_endpoint":"tcp://host:port",
//    "admin_url":"http://host:port","applied_position":N,"stream_created_ns":N,
//    "digest_position":N,"digest":"<hex>","updated_ms":N}
// digest and digest_position are 0 / "" until the replica computed a digest. Readers treat
// an entry older than kReplicaEntryStaleMs as a replica that is down.
//
// Thread-safety: plain values and functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/bus/routing/replica_entry.h"

namespace omnihub::unifier::replica {

inline constexpr const char* kReplicaBucket = bus::kReplicaRegistryBucket;
inline constexpr int64_t kReplicaEntryStaleMs = 3000;

struct ReplicaEntry {
  std::string replica_id;
  uint32_t partition = 0;
  std::string query_endpoint;
  std::string admin_url;
  uint64_t applied_position = 0;
  int64_t stream_created_ns = 0;
  uint64_t digest_position = 0;
  std::string digest;  // 64 hex digits, or "" before the first digest
  int64_t updated_ms = 0;
  bool operator==(const ReplicaEntry&) const = default;
};

// "p03.<replica_id>".
std::string ReplicaKey(uint32_t partition, std::string_view replica_id);
// The key prefix of every replica of `partition`: "p03.".
std::string ReplicaKeyPrefix(uint32_t partition);

std::string EncodeEntry(const ReplicaEntry& entry);
// InvalidArgument naming `key` and the defect when `json` is not an entry.
base::Result<ReplicaEntry> DecodeEntry(std::string_view key, std::string_view json);

}  // namespace omnihub::unifier::replica
