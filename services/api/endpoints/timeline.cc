// GET /api/v1/customers/{id}/timeline: one page of a customer's timeline, newest first, with
// the hub's own opaque cursor and every filter applied by the hub while it reads the page (so
// pages stay full and cursors valid): channel, since/until, direction, kind, conversation.
#include "services/api/endpoints/endpoints.h"

#include "common/base/json_writer.h"
#include "common/client/customer_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

constexpr uint32_t kDefaultPage = 50;

http::HttpResponse Timeline(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown = UnknownParam(p, {"limit", "cursor", "channel", "since", "until", "direction", "kind", "conversation"})) {
    return std::move(*unknown);
  }
  auto selector = PathCustomer(call, services);
  if (auto* refused = Failed(selector)) return std::move(*refused);
  auto filter = PageFilterParams(p, services, kDefaultPage);
  if (auto* refused = Failed(filter)) return std::move(*refused);
  auto kinds = KindsParam(p);
  if (auto* refused = Failed(kinds)) return std::move(*refused);

  v1::QueryRequest request;
  v1::TimelineRequest* t = request.mutable_timeline();
  *t->mutable_customer() = std::move(std::get<v1::CustomerSelector>(selector));
  ApplyPageFilter(std::get<PageFilter>(filter), t);
  for (v1::EventKind kind : std::get<std::vector<v1::EventKind>>(kinds)) t->add_kinds(kind);
  t->set_conversation(std::string(http::ParamOrEmpty(p, "conversation")));

  auto answer = AskHub(services.hub, request,
                       {.invalid_field = "id", .not_found_field = "id", .passed_cursor = !t->cursor().empty()});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  const v1::TimelineResponse& page = std::get<v1::QueryResponse>(answer).timeline();
  // The events, most of the answer, are written straight into the body (base::JsonWriter).
  base::JsonWriter body;
  body.Reserve(1024 + 640 * static_cast<size_t>(page.events_size()));  // a short message's event is ~450 bytes
  body.BeginObject();
  body.Key("customer");
  body.Raw(client::CustomerToJson(page.customer()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  body.Key("events");
  client::WriteTimelinePageJson(body, page);
  body.Key("next_cursor");
  body.Raw(NextCursorJson(page.next_cursor()).dump());
  body.EndObject();
  return JsonTextResponse(200, body.Release());
}

}  // namespace

base::Status AddTimelineRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/customers/{id}/timeline", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return Timeline(call, services); });
}

}  // namespace omnihub::api
