// The [cluster] section of the shared config file: cluster mode, where tenants are
// partitioned over a replicated NATS JetStream log (docs/cluster.md). Off by default: one
// host, the ZeroMQ bus, nothing changes. Every process parses it (registered in
// common/CMakeLists.txt, so a typo in [cluster] fails everywhere); what runs in cluster mode
// turns it into NATS options (common/bus/nats/nats_cluster_options.h). Checked when read,
// each error naming its key and line. docs/configuration.md "[cluster]".
//
// Thread-safety: a value; immutable once parsed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/config/section.h"

namespace omnihub::bus {

struct ClusterConfig {
  static constexpr std::string_view kSection = "cluster";

  bool enabled = false;
  // nats://HOST:PORT of one or more servers of the NATS cluster; needed when enabled.
  std::vector<std::string> nats_urls;
  // Partition streams OMNI_P00 .. (tenants are spread over them by the shard map).
  uint32_t partitions = 2;
  // Copies of every stream: 3 survive one lost server; 1 for a lone test server.
  uint32_t replicas = 3;
  // How long a publish waits for the stream's acknowledgement before it is tried again.
  uint32_t publish_timeout_ms = 5000;
  // Client pings: a dead or cut-off server is noticed after two unanswered ones.
  uint32_t ping_interval_ms = 1000;
  // A NATS .creds file (user JWT and nkey seed), "" = none. A relative path is under
  // $CREDENTIALS_DIRECTORY when set (systemd's LoadCredential=), like every *_file key; the
  // NATS client reads it, and its content is never logged.
  std::string credentials_file;
};

// OK when `url` is nats://HOST:PORT (a port 1..65535); otherwise what is wrong.
base::Status CheckNatsUrl(std::string_view url);

const config::Section& ClusterConfigSection();

}  // namespace omnihub::bus
