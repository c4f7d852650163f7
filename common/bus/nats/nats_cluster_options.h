// The options of cluster mode's NATS pieces (connection, partition log, shard map, blob
// store) from the [cluster] section (common/bus/cluster_config.h): one place that turns the
// config into them, for every process that runs in cluster mode.
//
// Thread-safety: free functions without state.
#pragma once

#include <string>

#include "common/base/status.h"
#include "common/bus/cluster_config.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_shard_map.h"

namespace omnihub::bus::nats {

// The connection of process `name` (shown in the servers' connz). InvalidArgument saying
// how to turn cluster mode on when [cluster] enabled is false; InvalidArgument naming
// cluster.credentials_file when that file cannot be read (a relative path is looked up under
// $CREDENTIALS_DIRECTORY when set, as every *_file key).
base::Result<NatsConnectionOptions> ConnectionOptionsFrom(const ClusterConfig& cluster, std::string name);

NatsLogOptions LogOptionsFrom(const ClusterConfig& cluster);
ShardMapOptions ShardMapOptionsFrom(const ClusterConfig& cluster);
BlobStoreOptions BlobStoreOptionsFrom(const ClusterConfig& cluster);

}  // namespace omnihub::bus::nats
