// A QueryTransport that reads one partition, whatever tenant the calling thread's route
// names: the API's live feed of a partition (services/api/stream/partition_hubs.h) follows
// that partition's change log, which holds the changes of every tenant assigned to it, through
// the routed transport with this partition pinned (QueryRoute::partition).
//
// Thread-safety: as thread-safe as the transport it wraps (the routed one is).
#pragma once

#include <chrono>
#include <cstdint>

#include "common/bus/query_transport.h"

namespace omnihub::bus {

class PartitionQueryTransport final : public QueryTransport {
 public:
  // `routed` (a RoutedQueryTransport) must outlive this transport.
  PartitionQueryTransport(QueryTransport& routed, uint32_t partition) : routed_(routed), partition_(partition) {}

  // routed.Call with the calling thread's route replaced, for the call, by one that names the
  // partition.
  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override;

 private:
  QueryTransport& routed_;
  const uint32_t partition_;
};

}  // namespace omnihub::bus
