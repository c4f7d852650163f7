#include "common/bus/routing/partition_query_transport.h"

#include "common/bus/routing/query_route.h"

namespace omnihub::bus {

base::Result<v1::QueryResponse> PartitionQueryTransport::Call(const v1::QueryRequest& request,
                                                              std::chrono::milliseconds timeout) {
  const ScopedQueryRoute route(QueryRoute{.partition = partition_});
  return routed_.Call(request, timeout);
}

}  // namespace omnihub::bus
