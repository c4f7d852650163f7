// Where a query goes in cluster mode: the tenant it reads (its partition comes from the shard
// map) and, for read-your-writes, the log position the answering replica must have applied.
// A reader of one partition as a whole (the API's live feed of that partition, which carries
// several tenants) names the partition instead (PartitionQueryTransport).
//
// The route travels with the calling thread (ScopedQueryRoute) rather than through every
// query's arguments: the query interface (QueryTransport::Call) and the many endpoints and
// commands built on it stay as they are on one host, and the API sets the route once per
// request where it dispatches it (services/api/core/api_routes.cc). A thread with no route in
// scope reads with the transport's default route.
//
// Thread-safety: a ScopedQueryRoute belongs to the thread that made it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/bus/routing/read_position.h"
#include "common/event/tenant_id.h"

namespace omnihub::bus {

struct QueryRoute {
  std::string tenant{event::kDefaultTenant};
  std::optional<ReadPosition> min_position = {};
  // Set: the partition asked, whatever the shard map says of `tenant`.
  std::optional<uint32_t> partition = {};
};

// The route of the innermost ScopedQueryRoute of this thread; nullptr when none.
const QueryRoute* CurrentQueryRoute();

// Makes `route` the calling thread's route until destroyed (then the one before is back).
class ScopedQueryRoute {
 public:
  explicit ScopedQueryRoute(QueryRoute route);
  ~ScopedQueryRoute();
  ScopedQueryRoute(const ScopedQueryRoute&) = delete;
  ScopedQueryRoute& operator=(const ScopedQueryRoute&) = delete;

 private:
  QueryRoute route_;
  const QueryRoute* previous_;
};

}  // namespace omnihub::bus
