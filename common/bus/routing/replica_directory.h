// The replica registry as the query routers see it: the latest entry of every replica (fed
// by a watch of OMNI_REPLICAS, common/bus/nats/nats_replica_registry.h, or by a test), and
// which of them are live. A replica writes its entry every 500 ms while it runs; one whose
// updated_ms is more than 3 s behind this process's wall clock is down (the replicas' and
// the routers' clocks are kept by NTP; a skew of more than a second or two shows as replicas
// flapping down).
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/bus/routing/replica_entry.h"

namespace omnihub::bus {

inline constexpr int64_t kReplicaDownAfterMs = 3000;

class ReplicaDirectory {
 public:
  // `clock` (wall time) must outlive the directory.
  explicit ReplicaDirectory(base::Clock& clock) : clock_(clock) {}

  void Put(const std::string& key, ReplicaEntry entry);
  void Remove(const std::string& key);

  // The live replicas of `partition`, in key order.
  std::vector<ReplicaEntry> Live(uint32_t partition) const;
  // Every replica of `partition`, live or not (for error messages), in key order.
  std::vector<ReplicaEntry> All(uint32_t partition) const;

 private:
  base::Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, ReplicaEntry> entries_;  // guarded by mu_
};

}  // namespace omnihub::bus
