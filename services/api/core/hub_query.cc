#include "services/api/core/hub_query.h"

#include "common/bus/routing/routed_query_transport.h"
#include "services/api/core/api_response.h"

namespace omnihub::api {

http::HttpResponse HubFailure(const base::Status& status, const HubQuery& how) {
  if (status.IsInvalidArgument() && how.passed_cursor && status.message().starts_with("cursor")) {
    return ApiError(400, "invalid_cursor", status.message() + " (pass the previous page's next_cursor unchanged)",
                    "cursor");
  }
  // Cluster mode's routing (common/bus/routing/routed_query_transport.h): no replica reached the
  // request's read-your-writes position in time, or the request's tenant is on no partition.
  if (status.IsUnavailable() && status.message().starts_with(bus::kMinPositionNotReached)) {
    return ApiError(503, "min_position_not_reached", status.message(), "min_position");
  }
  if (status.IsNotFound() && status.message().starts_with("tenant '")) return StatusResponse(status, "tenant");
  if (status.IsInvalidArgument() && status.message().starts_with(bus::kMinPositionNotReached)) {
    return StatusResponse(status, "min_position");
  }
  if (status.IsInvalidArgument()) return StatusResponse(status, how.invalid_field);
  if (status.IsNotFound()) return StatusResponse(status, how.not_found_field);
  return StatusResponse(status);
}

Parsed<v1::QueryResponse> AskHub(bus::QueryTransport& hub, const v1::QueryRequest& request, const HubQuery& how) {
  auto response = hub.Call(request, how.timeout);
  if (!response.ok()) return HubFailure(response.status(), how);
  return std::move(*response);
}

}  // namespace omnihub::api
