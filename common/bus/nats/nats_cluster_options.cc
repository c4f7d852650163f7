#include "common/bus/nats/nats_cluster_options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/config/secret.h"

namespace omnihub::bus::nats {
namespace {

// The blocks of a .creds file (what `nsc generate creds` writes and the client reads).
constexpr char kJwtMarker[] = "-----BEGIN NATS USER JWT-----";
constexpr char kSeedMarker[] = "-----BEGIN USER NKEY SEED-----";

}  // namespace

base::Result<NatsConnectionOptions> ConnectionOptionsFrom(const ClusterConfig& cluster, std::string name) {
  if (!cluster.enabled) {
    return base::Status::InvalidArgument(
        "cluster mode is off in this config: set [cluster] enabled = true and nats_urls = "
        "[\"nats://HOST:4222\", ...] (docs/cluster.md, docs/configuration.md \"[cluster]\")");
  }
  NatsConnectionOptions options;
  options.servers = cluster.nats_urls;
  options.name = std::move(name);
  options.ping_interval_ms = cluster.ping_interval_ms;
  if (!cluster.credentials_file.empty()) {
    options.credentials_file = config::SecretFilePath(cluster.credentials_file, config::ProcessEnvironment());
    // Checked here so that the message names the key; the client reads the file itself.
    // Only the two block markers are looked for: nothing of the content reaches a message.
    std::ifstream in(options.credentials_file);
    if (!in) {
      return base::Status::InvalidArgument("cluster.credentials_file: cannot read '" + options.credentials_file +
                                           "': " + std::strerror(errno) +
                                           " (give a readable NATS .creds file, or remove the key)");
    }
    std::stringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    if (text.find(kJwtMarker) == std::string::npos || text.find(kSeedMarker) == std::string::npos) {
      return base::Status::InvalidArgument(
          "cluster.credentials_file: '" + options.credentials_file +
          "' is not a NATS credentials file (it needs the user JWT and the nkey seed blocks that "
          "`nsc generate creds` writes)");
    }
  }
  return options;
}

NatsLogOptions LogOptionsFrom(const ClusterConfig& cluster) {
  return NatsLogOptions{.partitions = cluster.partitions,
                        .replicas = static_cast<int>(cluster.replicas),
                        .publish_timeout_ms = cluster.publish_timeout_ms};
}

ShardMapOptions ShardMapOptionsFrom(const ClusterConfig& cluster) {
  return ShardMapOptions{.partitions = cluster.partitions, .replicas = static_cast<int>(cluster.replicas)};
}

BlobStoreOptions BlobStoreOptionsFrom(const ClusterConfig& cluster) {
  return BlobStoreOptions{.replicas = static_cast<int>(cluster.replicas),
                          .publish_timeout_ms = cluster.publish_timeout_ms};
}

}  // namespace omnihub::bus::nats
