// The [unifier] section of the shared config file: omnihub-unifier's store, batching,
// flow control and admin listener. Registered in services/unifier/CMakeLists.txt, so every
// process that reads the file checks this section too (common/config/section.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/section.h"

namespace omnihub::unifier {

struct UnifierConfig {
  static constexpr std::string_view kSection = "unifier";

  std::string db_dir = "unifier";
  std::string search_dir = "search";  // the full-text index (docs/search.md); rebuilt from db_dir if lost
  uint32_t batch_max_events = 2000;  // upper bound of one committed WriteBatch
  uint32_t credit = 8192;            // frames a publisher may have in flight
  uint32_t page_max = 1000;          // largest timeline page served
  std::string admin_listen = "127.0.0.1:9101";  // /metrics, /healthz, /readyz; "" = off

  // Cluster mode only ([cluster] enabled = true; docs/cluster.md, "4. Unifier replicas"):
  uint32_t partition = 0;        // the partition whose stream this replica applies
  std::string replica_id;        // "" = the host name + "-" + db_dir's last path part
  uint32_t replica_ready_lag = 1000;  // /readyz fails while the replica is more positions behind
  uint32_t digest_every = 10000;      // positions between the digests replicas compare under load; 0: only idle
};

// The replica id of `config`: replica_id, or the host name + "-" + db_dir's last path part.
std::string ReplicaIdOf(const UnifierConfig& config);

const config::Section& UnifierConfigSection();

}  // namespace omnihub::unifier
