#include "common/bus/nats/nats_shard_map.h"

#include <algorithm>
#include <charconv>

#include "common/bus/nats/nats_kv.h"
#include "common/bus/nats/nats_status.h"
#include "common/bus/partition_log.h"
#include "common/event/tenant_id.h"

namespace omnihub::bus::nats {
namespace {

// The stored value of a key, as a partition number; Corruption naming the key otherwise.
base::Result<uint32_t> DecodePartition(std::string_view tenant_id, kvEntry* entry) {
  const char* data = static_cast<const char*>(kvEntry_Value(entry));
  const std::string value =
      data == nullptr ? std::string() : std::string(data, static_cast<size_t>(kvEntry_ValueLen(entry)));
  uint32_t partition = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), partition);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return base::Status::Corruption(std::string(kShardMapBucket) + " holds '" + value + "' for tenant '" +
                                    std::string(tenant_id) +
                                    "', not a partition number: put the tenant again with `omnihubctl cluster`");
  }
  return partition;
}

}  // namespace

base::Status CheckTenantKey(std::string_view tenant_id) {
  // One check for every place a tenant id comes in (common/event/tenant_id.h).
  return event::CheckTenantId(tenant_id).WithContext("shard map key");
}

base::Result<std::unique_ptr<NatsShardMap>> NatsShardMap::Open(NatsConnection& connection, ShardMapOptions options) {
  if (options.history < 1 || options.history > 64) {
    return base::Status::InvalidArgument("shard map history must be 1..64 (JetStream's KV limit), not " +
                                         std::to_string(options.history));
  }
  auto kv = OpenKeyValueBucket(connection, kShardMapBucket, options.history, options.replicas);
  if (!kv.ok()) return kv.status();
  return std::unique_ptr<NatsShardMap>(new NatsShardMap(std::move(*kv), options));
}

base::Result<std::optional<uint32_t>> NatsShardMap::Get(std::string_view tenant_id) const {
  OMNIHUB_RETURN_IF_ERROR(CheckTenantKey(tenant_id));
  return Read(std::string(tenant_id));
}

base::Result<std::optional<uint32_t>> NatsShardMap::Read(const std::string& key) const {
  kvEntry* raw = nullptr;
  natsStatus s = kvStore_Get(&raw, kv_.get(), key.c_str());
  if (s == NATS_NOT_FOUND) return std::optional<uint32_t>();
  if (s != NATS_OK) return NatsError(s, kNoJsError, "shard map get " + key);
  NatsPtr<kvEntry> entry(raw);
  auto partition = DecodePartition(key, entry.get());
  if (!partition.ok()) return partition.status();
  return std::optional<uint32_t>(*partition);
}

base::Result<uint64_t> NatsShardMap::Put(std::string_view tenant_id, uint32_t partition) {
  OMNIHUB_RETURN_IF_ERROR(CheckTenantKey(tenant_id));
  OMNIHUB_RETURN_IF_ERROR(CheckPartition(partition, options_.partitions));
  const std::string key(tenant_id);
  const std::string value = std::to_string(partition);
  uint64_t revision = 0;
  natsStatus s = kvStore_PutString(&revision, kv_.get(), key.c_str(), value.c_str());
  if (s != NATS_OK) return NatsError(s, kNoJsError, "shard map put " + key);
  return revision;
}

base::Result<std::vector<std::pair<std::string, uint32_t>>> NatsShardMap::List() const {
  // kvStore_Keys answers NATS_NOT_FOUND for a bucket without keys.
  kvKeysList keys{nullptr, 0};
  natsStatus s = kvStore_Keys(&keys, kv_.get(), nullptr);
  std::vector<std::pair<std::string, uint32_t>> out;
  if (s == NATS_NOT_FOUND) return out;
  if (s != NATS_OK) return NatsError(s, kNoJsError, std::string("list ") + kShardMapBucket);
  std::vector<std::string> tenants(keys.Keys, keys.Keys + keys.Count);
  kvKeysList_Destroy(&keys);
  std::sort(tenants.begin(), tenants.end());
  for (const auto& tenant : tenants) {
    auto partition = Read(tenant);
    if (!partition.ok()) return partition.status();
    // A key deleted between the listing and the read is simply no longer in the map.
    if (partition->has_value()) out.emplace_back(tenant, **partition);
  }
  return out;
}

}  // namespace omnihub::bus::nats
