#include "common/bus/nats/cluster_query.h"

#include "common/bus/nats/nats_cluster_options.h"

namespace omnihub::bus::nats {

base::Result<uint32_t> ShardMapPartitions::PartitionOf(std::string_view tenant) {
  auto partition = map_.Get(tenant);
  if (!partition.ok()) return partition.status();
  if (!partition->has_value()) {
    return base::Status::NotFound("tenant '" + std::string(tenant) +
                                  "' is on no partition: put it on one with `omnihubctl cluster assign " +
                                  std::string(tenant) + " PARTITION`");
  }
  return **partition;
}

QueryTransport& QueryClientPools::For(const std::string& endpoint) {
  std::lock_guard lock(mu_);
  auto& pool = pools_[endpoint];
  if (!pool) pool = std::make_unique<QueryClientPool>(ctx_, endpoint);
  return *pool;
}

base::Result<std::unique_ptr<ClusterQuery>> ClusterQuery::Start(const ClusterConfig& cluster, zmq::context_t& ctx,
                                                                std::string name, QueryRoute default_route) {
  auto options = ConnectionOptionsFrom(cluster, std::move(name));
  if (!options.ok()) return options.status();
  std::unique_ptr<ClusterQuery> query(new ClusterQuery(ctx));
  auto connection = NatsConnection::Connect(*options);
  if (!connection.ok()) return connection.status();
  query->connection_ = std::move(*connection);
  auto shards = NatsShardMap::Open(*query->connection_, ShardMapOptionsFrom(cluster));
  if (!shards.ok()) return shards.status();
  query->shards_ = std::move(*shards);
  query->partitions_ = std::make_unique<ShardMapPartitions>(*query->shards_);
  auto registry = NatsReplicaRegistry::Open(*query->connection_, static_cast<int>(cluster.replicas));
  if (!registry.ok()) return registry.status();
  query->registry_ = std::move(*registry);
  OMNIHUB_RETURN_IF_ERROR(query->registry_->Watch(query->directory_));
  query->routed_ = std::make_unique<RoutedQueryTransport>(query->directory_, *query->partitions_, query->pools_,
                                                          query->clock_, std::move(default_route));
  return query;
}

}  // namespace omnihub::bus::nats
