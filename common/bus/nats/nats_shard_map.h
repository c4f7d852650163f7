// The shard map of cluster mode: which partition each tenant's events and commands go to,
// kept in the JetStream key-value bucket OMNI_SHARDS (key: the tenant id, value: the
// partition number in decimal), so that every adapter and replica reads the same map and
// `omnihubctl cluster` edits it in one place (docs/cluster.md, "The shard map").
//
// Thread-safety: thread-safe (the NATS KV handle is).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "common/base/status.h"

namespace omnihub::bus::nats {

inline constexpr char kShardMapBucket[] = "OMNI_SHARDS";

struct ShardMapOptions {
  uint32_t partitions = 1;  // a tenant may be put on partitions 0 .. partitions - 1
  int replicas = 3;         // copies of the bucket's stream
  // Earlier values kept per tenant (the bucket's history): what a tenant was moved from.
  int history = 5;
};

class NatsShardMap {
 public:
  // Opens the bucket, creating it when it does not exist. `connection` must outlive the map.
  static base::Result<std::unique_ptr<NatsShardMap>> Open(NatsConnection& connection, ShardMapOptions options);

  // The tenant's partition; nullopt when the tenant is not in the map.
  base::Result<std::optional<uint32_t>> Get(std::string_view tenant_id) const;
  // Puts the tenant on `partition` (InvalidArgument for a partition out of range or a
  // tenant id the bucket cannot key). Returns the bucket revision of the change.
  base::Result<uint64_t> Put(std::string_view tenant_id, uint32_t partition);
  // Every tenant with its partition, in tenant order.
  base::Result<std::vector<std::pair<std::string, uint32_t>>> List() const;

 private:
  // The partition stored under `key` (checked or listed); nullopt when absent.
  base::Result<std::optional<uint32_t>> Read(const std::string& key) const;

  NatsShardMap(NatsPtr<kvStore> kv, ShardMapOptions options) : kv_(std::move(kv)), options_(options) {}

  NatsPtr<kvStore> kv_;
  const ShardMapOptions options_;
};

// OK when `tenant_id` can be a key of the bucket: 1..128 characters of A-Z a-z 0-9 - _ =
// (NATS KV keys also allow '.' and '/', which are reserved here for later structure).
base::Status CheckTenantKey(std::string_view tenant_id);

}  // namespace omnihub::bus::nats
