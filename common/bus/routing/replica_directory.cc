#include "common/bus/routing/replica_directory.h"

namespace omnihub::bus {

void ReplicaDirectory::Put(const std::string& key, ReplicaEntry entry) {
  std::lock_guard lock(mu_);
  entries_[key] = std::move(entry);
}

void ReplicaDirectory::Remove(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

std::vector<ReplicaEntry> ReplicaDirectory::Live(uint32_t partition) const {
  const int64_t oldest_ms = clock_.NowMicros() / 1000 - kReplicaDownAfterMs;
  std::vector<ReplicaEntry> live;
  for (const ReplicaEntry& entry : All(partition)) {
    if (entry.updated_ms >= oldest_ms) live.push_back(entry);
  }
  return live;
}

std::vector<ReplicaEntry> ReplicaDirectory::All(uint32_t partition) const {
  std::lock_guard lock(mu_);
  std::vector<ReplicaEntry> all;
  for (const auto& [key, entry] : entries_) {
    if (entry.partition == partition) all.push_back(entry);
  }
  return all;
}

}  // namespace omnihub::bus
