#include "services/unifier/replica/nats_replica_registry.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_kv.h"
#include "common/bus/nats/nats_replica_registry.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::unifier::replica {

using bus::nats::NatsError;
using bus::nats::NatsPtr;

base::Result<std::unique_ptr<NatsReplicaRegistry>> NatsReplicaRegistry::Open(bus::nats::NatsConnection& connection,
                                                                             int replicas) {
  auto kv = bus::nats::OpenReplicaRegistryBucket(connection, replicas);
  if (!kv.ok()) return kv.status();
  return std::unique_ptr<NatsReplicaRegistry>(new NatsReplicaRegistry(connection, std::move(*kv)));
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
  std::map<std::string, std::string> values;
  {
    std::lock_guard lock(mu_);
    auto read = bus::nats::ReadKeyValueBucket(requests_, kReplicaBucket);
    if (!read.ok()) return read.status();
    values = std::move(*read);
  }
  std::vector<ReplicaEntry> entries;
  const std::string prefix = ReplicaKeyPrefix(partition);
  for (const auto& [key, value] : values) {
    if (!key.starts_with(prefix)) continue;
    auto decoded = DecodeEntry(key, value);
    if (!decoded.ok()) {
      spdlog::warn("{}", decoded.status().message());
      continue;
    }
    entries.push_back(std::move(*decoded));
  }
  return entries;
}

}  // namespace omnihub::unifier::replica
