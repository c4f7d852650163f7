// The tenant a query reads, set on every QueryRequest a client sends (QueryRequest.tenant_id,
// docs/cluster.md "Queries"): the tenant of the calling thread's route (ScopedQueryRoute: the
// API's `tenant` parameter), or the transport's own (omnihubctl --tenant) when no route is in
// scope. It wraps the transport the client already has (one host's query client or cluster
// mode's routed one), so the endpoints and commands that build queries stay as they are. A
// request that names its tenant already keeps it.
//
// Thread-safety: as the wrapped transport.
#pragma once

#include <chrono>
#include <string>

#include "common/bus/query_transport.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::bus {

class TenantQueryTransport final : public QueryTransport {
 public:
  // `inner` must outlive this; `tenant` ("default" or an id) is used without a route in scope.
  TenantQueryTransport(QueryTransport& inner, std::string tenant) : inner_(inner), tenant_(std::move(tenant)) {}

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override;

 private:
  QueryTransport& inner_;
  const std::string tenant_;
};

}  // namespace omnihub::bus
