#include "services/api/core/hub_query.h"

#include "services/api/core/api_response.h"

namespace omnihub::api {

http::HttpResponse HubFailure(const base::Status& status, const HubQuery& how) {
  if (status.IsInvalidArgument() && how.passed_cursor && status.message().starts_with("cursor")) {
    return ApiError(400, "invalid_cursor", status.message() + " (pass the previous page's next_cursor unchanged)",
                    "cursor");
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
