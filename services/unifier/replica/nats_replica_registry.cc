#include "services/unifier/replica/nats_replica_registry.h"

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_replica_registry.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::unifier::replica {

using bus::nats::NatsError;
using bus::nats::NatsPtr;

base::Result<std::unique_ptr<NatsReplicaRegistry>> NatsReplicaRegistry::Open(bus::nats::NatsConnection& connection,
                                                                             int replicas) {
  auto kv = bus::nats::OpenReplicaRegistryBucket(connection, replicas);
  if (!kv.ok()) return kv.status();
  return std::unique_ptr<NatsReplicaRegistry>(new NatsReplicaRegistry(std::move(*kv)));
}

base::Status NatsReplicaRegistry::Put(const ReplicaEntry& entry) {
  const std::string key = ReplicaKey(entry.partition, entry.replica_id);
  const std::string value = EncodeEntry(entry);
  uint64_t revision = 0;
  natsStatus s = kvStore_Put(&revision, kv_.get(), key.c_str(), value.data(), static_cast<int>(value.size()));
  if (s != NATS_OK) return NatsError(s, bus::nats::kNoJsError, std::string(kReplicaBucket) + " put " + key);
  return base::Status::Ok();
}

base::Result<std::vector<ReplicaEntry>> NatsReplicaRegistry::List(uint32_t partition) const {
  std::vector<ReplicaEntry> entries;
  kvKeysList keys{nullptr, 0};
  natsStatus s = kvStore_Keys(&keys, kv_.get(), nullptr);
  if (s == NATS_NOT_FOUND) return entries;  // a bucket without keys
  if (s != NATS_OK) return NatsError(s, bus::nats::kNoJsError, std::string("list ") + kReplicaBucket);
  std::vector<std::string> names(keys.Keys, keys.Keys + keys.Count);
  kvKeysList_Destroy(&keys);
  const std::string prefix = ReplicaKeyPrefix(partition);
  for (const std::string& key : names) {
    if (!key.starts_with(prefix)) continue;
    kvEntry* raw = nullptr;
    s = kvStore_Get(&raw, kv_.get(), key.c_str());
    if (s == NATS_NOT_FOUND) continue;
    if (s != NATS_OK) return NatsError(s, bus::nats::kNoJsError, std::string(kReplicaBucket) + " get " + key);
    NatsPtr<kvEntry> entry(raw);
    const char* data = static_cast<const char*>(kvEntry_Value(entry.get()));
    auto decoded = DecodeEntry(key, std::string_view(data == nullptr ? "" : data,
                                                      static_cast<size_t>(kvEntry_ValueLen(entry.get()))));
    if (!decoded.ok()) {
      spdlog::warn("{}", decoded.status().message());
      continue;
    }
    entries.push_back(std::move(*decoded));
  }
  return entries;
}

}  // namespace omnihub::unifier::replica
