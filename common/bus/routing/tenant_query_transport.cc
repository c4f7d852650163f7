#include "common/bus/routing/tenant_query_transport.h"

#include "common/bus/routing/query_route.h"
#include "common/event/tenant_id.h"

namespace omnihub::bus {

base::Result<v1::QueryResponse> TenantQueryTransport::Call(const v1::QueryRequest& request,
                                                           std::chrono::milliseconds timeout) {
  const QueryRoute* route = CurrentQueryRoute();
  const std::string wire = event::WireTenant(route != nullptr ? route->tenant : tenant_);
  // The default tenant's queries stay the bytes they were before tenants.
  if (!request.tenant_id().empty() || wire.empty()) return inner_.Call(request, timeout);
  v1::QueryRequest stamped = request;
  stamped.set_tenant_id(wire);
  return inner_.Call(stamped, timeout);
}

}  // namespace omnihub::bus
