// GET /api/v1/stream and GET /api/v1/customers/{id}/stream: the committed changes as
// server-sent events (docs/api.md "Live updates"), served by the change hub (stream/). This
// file reads the request -- where the client is (Last-Event-ID or ?last_event_id=), which
// customer -- and opens the stream; the hub does the rest on its own thread.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bus/routing/query_route.h"
#include "common/event/tenant_id.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"
#include "services/api/endpoints/endpoints.h"
#include "services/api/stream/change_hub.h"
#include "services/api/stream/customer_filter.h"

namespace omnihub::api {
namespace {

// The last change_seq the client has: the Last-Event-ID header an EventSource sends when it
// reconnects, else ?last_event_id= for clients that cannot set headers; 0 = none (live from
// now). The only query parameter a stream takes.
Parsed<uint64_t> LastEventId(const http::HttpRequest& request) {
  auto params = QueryParams(request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown = UnknownParam(p, {"last_event_id"})) return std::move(*unknown);
  std::string_view value;
  std::string_view field;
  if (auto header = request.header("Last-Event-ID")) {
    value = *header;
    field = "Last-Event-ID";
  } else if (const std::string* param = http::FindParam(p, "last_event_id")) {
    value = *param;
    field = "last_event_id";
  } else {
    return uint64_t{0};
  }
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seq);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return ApiError(400, "bad_request",
                    std::string(field) + " must be the change_seq of the last event received (a whole number)", field);
  }
  return seq;
}

// The id of the customer {id} names (a customer id, also a merged one, or an identity).
Parsed<std::string> PathCustomerId(const ApiCall& call, ApiServices& services) {
  auto selector = PathCustomer(call, services);
  if (auto* refused = Failed(selector)) return std::move(*refused);
  v1::QueryRequest request;
  *request.mutable_get_customer()->mutable_customer() = std::move(std::get<v1::CustomerSelector>(selector));
  auto answer = AskHub(services.hub, request, {.invalid_field = "id", .not_found_field = "id"});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  return std::get<v1::QueryResponse>(answer).get_customer().customer().customer_id();
}

// The change hub follows one change log: in cluster mode the default tenant's partition
// (docs/cluster.md "The live feed"); a stream of another tenant is refused rather than fed
// the wrong tenant's changes.
std::optional<http::HttpResponse> OtherTenant() {
  const bus::QueryRoute* route = bus::CurrentQueryRoute();
  if (route == nullptr || route->tenant == event::kDefaultTenant) return std::nullopt;
  return ApiError(400, "bad_request",
                  "live streams follow tenant '" + std::string(event::kDefaultTenant) + "' only in this version, not '" +
                      route->tenant + "'",
                  "tenant");
}

// Answers with the event stream and hands it to the hub.
void OpenStream(ApiServices& services, const http::HttpResponder& respond, uint64_t after_seq,
                stream::ChangeFilter filter) {
  http::HttpResponse head;
  head.headers = {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}};
  AddSecurityHeaders(head);
  services.changes.Open(respond.Stream(200, "text/event-stream", std::move(head.headers)), after_seq,
                        std::move(filter));
}

}  // namespace

base::Status AddStreamRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.AddStream(
      "GET", "/api/v1/stream", auth::Scope::kRead, [&services](const ApiCall& call, http::HttpResponder respond) {
        if (auto refused = OtherTenant()) return respond(std::move(*refused));
        auto after = LastEventId(call.request);
        if (auto* refused = Failed(after)) return respond(std::move(*refused));
        OpenStream(services, respond, std::get<uint64_t>(after), nullptr);
      }));
  return routes.AddStream(
      "GET", "/api/v1/customers/{id}/stream", auth::Scope::kRead,
      [&services](const ApiCall& call, http::HttpResponder respond) {
        if (auto refused = OtherTenant()) return respond(std::move(*refused));
        auto after = LastEventId(call.request);
        if (auto* refused = Failed(after)) return respond(std::move(*refused));
        uint64_t after_seq = std::get<uint64_t>(after);
        // Live from before the customer is looked up, so that a merge committed meanwhile is
        // still seen (and followed) by the filter.
        if (after_seq == 0) after_seq = services.changes.last_seq();
        auto customer = PathCustomerId(call, services);
        if (auto* refused = Failed(customer)) return respond(std::move(*refused));
        OpenStream(services, respond, after_seq, stream::CustomerChangeFilter(std::get<std::string>(customer)));
      });
}

}  // namespace omnihub::api
