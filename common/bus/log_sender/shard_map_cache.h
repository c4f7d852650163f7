// The shard map as the adapters' senders read it (docs/cluster.md, "Adapters in cluster
// mode"): tenant -> partition from a ShardMapSource (NatsShardMap, the KV bucket
// OMNI_SHARDS), cached so that sending an entry costs no round trip. A cached partition is
// read again after `refresh_us` (a tenant moved with `omnihubctl cluster assign` is seen
// within that), a tenant missing from the map after `unmapped_retry_us` (an assignment
// made while its entries wait is picked up within that). When the map cannot be read, a
// partition already known is used; an unknown tenant waits.
//
// Thread-safety: none; the sender thread owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/base/env.h"
#include "common/base/status.h"

namespace omnihub::bus {

class ShardMapSource {
 public:
  ShardMapSource() = default;
  virtual ~ShardMapSource() = default;
  ShardMapSource(const ShardMapSource&) = delete;
  ShardMapSource& operator=(const ShardMapSource&) = delete;
  // The tenant's partition; nullopt when the map does not have it.
  virtual base::Result<std::optional<uint32_t>> Get(std::string_view tenant_id) = 0;
};

struct ShardMapCacheOptions {
  int64_t refresh_us = 5'000'000;
  int64_t unmapped_retry_us = 1'000'000;
};

class ShardMapCache {
 public:
  // `source` and `clock` must outlive the cache.
  ShardMapCache(ShardMapSource& source, base::Clock& clock, ShardMapCacheOptions options = {});

  // The tenant's partition, from the cache while it is fresh; nullopt when the map does
  // not have the tenant. The source's error when it cannot be read and nothing is known.
  base::Result<std::optional<uint32_t>> PartitionOf(const std::string& tenant_id);

 private:
  struct Cached {
    std::optional<uint32_t> partition;
    int64_t read_us = 0;
  };

  ShardMapSource& source_;
  base::Clock& clock_;
  const ShardMapCacheOptions options_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace omnihub::bus
