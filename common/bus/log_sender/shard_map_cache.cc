#include "common/bus/log_sender/shard_map_cache.h"

#include <spdlog/spdlog.h>

namespace omnihub::bus {

ShardMapCache::ShardMapCache(ShardMapSource& source, base::Clock& clock, ShardMapCacheOptions options)
    : source_(source), clock_(clock), options_(options) {}

base::Result<std::optional<uint32_t>> ShardMapCache::PartitionOf(const std::string& tenant_id) {
  const int64_t now = clock_.MonotonicMicros();
  auto it = cache_.find(tenant_id);
  if (it != cache_.end()) {
    const int64_t max_age = it->second.partition ? options_.refresh_us : options_.unmapped_retry_us;
    if (now - it->second.read_us < max_age) return it->second.partition;
  }
  base::Result<std::optional<uint32_t>> read = source_.Get(tenant_id);
  if (!read.ok()) {
    // A partition known before stays in use: the log itself is likely out of reach too,
    // and an append to it fails on its own.
    if (it != cache_.end() && it->second.partition) return it->second.partition;
    return read.status();
  }
  if (it != cache_.end() && it->second.partition != *read) {
    spdlog::info("shard map: tenant '{}' is now on {}", tenant_id,
                 *read ? "partition " + std::to_string(**read) : std::string("no partition"));
  }
  cache_[tenant_id] = Cached{*read, now};
  return *read;
}

}  // namespace omnihub::bus
