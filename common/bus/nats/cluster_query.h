// The query side of cluster mode for a client process (omnihubctl, omnihub-api): one NATS
// connection, the shard map (tenant -> partition), the replica registry watched into a
// ReplicaDirectory, a pool of ZeroMQ query clients per replica endpoint, and the
// RoutedQueryTransport over them (docs/cluster.md, "Query routing and failover").
//
// Thread-safety: transport() is thread-safe; built and destroyed on one thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/bus/cluster_config.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_replica_registry.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/query_client_pool.h"
#include "common/bus/routing/routed_query_transport.h"

namespace omnihub::bus::nats {

// The shard map as the router's PartitionResolver.
class ShardMapPartitions final : public PartitionResolver {
 public:
  explicit ShardMapPartitions(NatsShardMap& map) : map_(map) {}
  // NotFound naming `omnihubctl cluster assign` when the tenant is on no partition.
  base::Result<uint32_t> PartitionOf(std::string_view tenant) override;

 private:
  NatsShardMap& map_;
};

// A QueryClientPool per replica endpoint, made on first use.
class QueryClientPools final : public EndpointTransports {
 public:
  explicit QueryClientPools(zmq::context_t& ctx) : ctx_(ctx) {}
  QueryTransport& For(const std::string& endpoint) override;

 private:
  zmq::context_t& ctx_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<QueryClientPool>> pools_;  // guarded by mu_
};

class ClusterQuery {
 public:
  // Connects as process `name`, opens the shard map and the registry and loads the registry.
  // `ctx` must outlive the result. Queries without a ScopedQueryRoute use `default_route`.
  static base::Result<std::unique_ptr<ClusterQuery>> Start(const ClusterConfig& cluster, zmq::context_t& ctx,
                                                           std::string name, QueryRoute default_route);

  QueryTransport& transport() { return *routed_; }
  // tenant -> partition, from the shard map (thread-safe).
  PartitionResolver& partitions() { return *partitions_; }

 private:
  explicit ClusterQuery(zmq::context_t& ctx) : directory_(clock_), pools_(ctx) {}

  base::SystemClock clock_;
  std::unique_ptr<NatsConnection> connection_;
  std::unique_ptr<NatsShardMap> shards_;
  std::unique_ptr<ShardMapPartitions> partitions_;
  ReplicaDirectory directory_;
  QueryClientPools pools_;
  std::unique_ptr<RoutedQueryTransport> routed_;
  // Last member: destroyed first, so its watch thread stops before the directory goes.
  std::unique_ptr<NatsReplicaRegistry> registry_;
};

}  // namespace omnihub::bus::nats
