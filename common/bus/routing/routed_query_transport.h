// Cluster mode's QueryTransport: each query goes to a unifier replica of the tenant's
// partition (docs/cluster.md, "Query routing and failover"):
//   tenant (the calling thread's QueryRoute, else the default route) -> partition (the shard
//   map, unless the route names the partition itself) -> the live replicas of the registry (ReplicaDirectory) that have applied the
//   route's min_position, in OrderReplicas's order -> the first that answers.
// A replica that does not answer within the attempt timeout (1 s) is left for the next one,
// so a dead replica costs at most about 1 s before the other answers, well within 2 s; it is
// then tried last for 3 s (by which time the registry shows it down), so the queries after
// it do not wait for it again. The last replica left gets what remains of the caller's
// timeout: a slow query (an export page) is cut short only while another replica could take
// it. When no live replica has reached min_position, the call waits up to 2 s for one to
// catch up, then fails with Unavailable starting "min_position" (the API answers 503 naming
// min_position).
//
// Thread-safety: thread-safe when the resolver and the transports are (the real ones are).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/base/env.h"
#include "common/bus/query_transport.h"
#include "common/bus/routing/query_route.h"
#include "common/bus/routing/replica_directory.h"

namespace omnihub::bus {

// The first words of the error when no replica reached a route's min_position in time.
inline constexpr char kMinPositionNotReached[] = "min_position";

// tenant -> partition (the shard map in production).
class PartitionResolver {
 public:
  virtual ~PartitionResolver() = default;
  // NotFound when the tenant is on no partition.
  virtual base::Result<uint32_t> PartitionOf(std::string_view tenant) = 0;
};

// A query transport per replica endpoint (a pool of ZeroMQ clients in production).
class EndpointTransports {
 public:
  virtual ~EndpointTransports() = default;
  // The transport for `endpoint`, alive as long as this object.
  virtual QueryTransport& For(const std::string& endpoint) = 0;
};

struct RoutingOptions {
  // How long one replica may take while another could still answer.
  std::chrono::milliseconds attempt_timeout{1000};
  // How long a read waits for a replica to reach its min_position (or for any live replica).
  std::chrono::milliseconds catch_up_wait{2000};
  // How often the directory is looked at again while waiting.
  std::chrono::milliseconds recheck_interval{50};
  // How long a replica that did not answer is tried last.
  std::chrono::milliseconds unresponsive_for{3000};
  // Waits `d` (tests advance a manual clock instead).
  std::function<void(std::chrono::milliseconds d)> sleep = {};
};

class RoutedQueryTransport final : public QueryTransport {
 public:
  // Every reference must outlive the transport. `clock`'s monotonic time measures waits.
  RoutedQueryTransport(ReplicaDirectory& directory, PartitionResolver& partitions, EndpointTransports& transports,
                       base::Clock& clock, QueryRoute default_route, RoutingOptions options = {});

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override;

 private:
  bool Unresponsive(const std::string& endpoint, int64_t now_us);
  void MarkUnresponsive(const std::string& endpoint, int64_t now_us);
  void MarkAnswered(const std::string& endpoint);
  // Why no replica could be asked (none live, or none at min_position).
  base::Status NoReplica(uint32_t partition, const QueryRoute& route) const;

  ReplicaDirectory& directory_;
  PartitionResolver& partitions_;
  EndpointTransports& transports_;
  base::Clock& clock_;
  const QueryRoute default_route_;
  RoutingOptions options_;

  std::mutex mu_;
  uint64_t turn_ = 0;                                 // guarded by mu_
  std::map<std::string, int64_t> unresponsive_until_;  // endpoint -> monotonic us; guarded by mu_
};

}  // namespace omnihub::bus
