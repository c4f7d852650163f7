// One unifier replica as the replica registry (KV bucket OMNI_REPLICAS) holds it: key
// `p<NN>.<replica_id>`, value the JSON below, written by each replica at least every 500 ms
// while it runs (docs/cluster.md, "Query routing and failover"):
//   {"replica_id":"...","partition":N,"query_endpoint":"tcp://host:port","admin_url":"http://host:port",
//    "applied_position":N,"stream_created_ns":N,"digest_position":N,"digest":"<hex>","updated_ms":N}
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bus {

inline constexpr char kReplicaRegistryBucket[] = "OMNI_REPLICAS";

struct ReplicaEntry {
  std::string replica_id = {};
  uint32_t partition = 0;
  std::string query_endpoint = {};  // where queries go (query.proto over ZeroMQ)
  std::string admin_url = {};
  uint64_t applied_position = 0;  // the last log position applied and synced
  int64_t stream_created_ns = 0;
  uint64_t digest_position = 0;  // 0 = no digest computed yet
  std::string digest = {};
  int64_t updated_ms = 0;  // the replica's wall clock when it wrote the entry
};

// The registry key of a replica: "p" + the partition in two digits at least + "." + the id.
std::string ReplicaKey(uint32_t partition, std::string_view replica_id);

// Parses an entry's JSON; InvalidArgument naming the key and what is missing or wrong.
// Unknown members are ignored (a later replica may say more).
base::Result<ReplicaEntry> ParseReplicaEntry(std::string_view key, std::string_view json);
std::string ReplicaEntryJson(const ReplicaEntry& entry);

}  // namespace omnihub::bus
