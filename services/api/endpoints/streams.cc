// GET /api/v1/stream and GET /api/v1/customers/{id}/stream: the committed changes as
// server-sent events (docs/api.md "Live updates"), served by the change hub of the tenant's
// partition (stream/partition_hubs.h). This file reads the request -- which tenant (?tenant=),
// where the client is (Last-Event-ID or ?last_event_id=), which customer -- and opens the
// stream, filtered to the tenant's changes; the hub does the rest on its own thread.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/event/tenant_id.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"
#include "services/api/core/request_params.h"
#include "services/api/endpoints/endpoints.h"
#include "services/api/stream/change_hub.h"
#include "services/api/stream/customer_filter.h"
#include "services/api/stream/partition_hubs.h"
#include "services/api/stream/tenant_filter.h"

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

// The stream's tenant (?tenant=, checked already; "" = default) and the hub of its partition.
// A tenant the shard map puts on no partition is the client's mistake: 400 naming tenant.
struct TenantHub {
  std::string tenant;
  stream::ChangeHub* hub = nullptr;
};
Parsed<TenantHub> HubOfTenant(const ApiCall& call, ApiServices& services) {
  auto tenant = TenantParam(call.request);
  if (auto* refused = Failed(tenant)) return std::move(*refused);
  TenantHub out{std::move(std::get<std::string>(tenant))};
  auto hub = services.changes.ForTenant(event::TenantOrDefault(out.tenant));
  if (hub.status().IsNotFound()) return ApiError(400, "bad_request", hub.status().message(), "tenant");
  if (!hub.ok()) return StatusResponse(hub.status(), "tenant");
  out.hub = *hub;
  return out;
}

// Answers with the event stream and hands it to the hub, keeping the tenant's changes that
// `filter` (none: all) accepts.
void OpenStream(const TenantHub& to, const http::HttpResponder& respond, uint64_t after_seq,
                stream::ChangeFilter filter) {
  http::HttpResponse head;
  head.headers = {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}};
  AddSecurityHeaders(head);
  to.hub->Open(respond.Stream(200, "text/event-stream", std::move(head.headers)), after_seq,
               stream::TenantChangeFilter(event::TenantOrDefault(to.tenant), std::move(filter)));
}

}  // namespace

base::Status AddStreamRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.AddStream(
      "GET", "/api/v1/stream", auth::Scope::kRead, [&services](const ApiCall& call, http::HttpResponder respond) {
        auto after = LastEventId(call.request);
        if (auto* refused = Failed(after)) return respond(std::move(*refused));
        auto to = HubOfTenant(call, services);
        if (auto* refused = Failed(to)) return respond(std::move(*refused));
        OpenStream(std::get<TenantHub>(to), respond, std::get<uint64_t>(after), nullptr);
      }));
  return routes.AddStream(
      "GET", "/api/v1/customers/{id}/stream", auth::Scope::kRead,
      [&services](const ApiCall& call, http::HttpResponder respond) {
        auto after = LastEventId(call.request);
        if (auto* refused = Failed(after)) return respond(std::move(*refused));
        auto to = HubOfTenant(call, services);
        if (auto* refused = Failed(to)) return respond(std::move(*refused));
        const TenantHub& hub = std::get<TenantHub>(to);
        uint64_t after_seq = std::get<uint64_t>(after);
        // Live from before the customer is looked up, so that a merge committed meanwhile is
        // still seen (and followed) by the filter. (A hub started by this very stream has no
        // last change yet: it starts from what the log has when it takes the stream in.)
        if (after_seq == 0) after_seq = hub.hub->last_seq();
        // Looked up in the request's tenant (the route), so another tenant's id is not found.
        auto customer = PathCustomerId(call, services);
        if (auto* refused = Failed(customer)) return respond(std::move(*refused));
        OpenStream(hub, respond, after_seq, stream::CustomerChangeFilter(std::get<std::string>(customer)));
      });
}

}  // namespace omnihub::api
