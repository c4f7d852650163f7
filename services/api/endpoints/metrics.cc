// GET /api/v1/metrics: the relationship metrics report (docs/metrics.md) with the filters of
// omnihubctl metrics (since, until, channel, account, by). The body is the report exactly as
// the unifier wrote it, so the API, the CLI and the console show the same figures; a hub that
// keeps no metrics answers 503.
#include "services/api/endpoints/endpoints.h"

#include "common/client/query_values.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

// The parameters as the hub's MetricsRequest, or the 400 naming the bad one.
Parsed<v1::MetricsRequest> MetricsParams(const http::Params& p) {
  if (auto unknown = UnknownParam(p, {"since", "until", "channel", "account", "by"})) return std::move(*unknown);
  auto range = TimeRangeParams(p);
  if (auto* refused = Failed(range)) return std::move(*refused);
  auto channels = ChannelsParam(p);
  if (auto* refused = Failed(channels)) return std::move(*refused);
  v1::MetricsRequest m;
  // TimeRange's 0 is "no bound", as for every other endpoint.
  if (std::get<TimeRange>(range).since_us != 0) m.set_since_us(std::get<TimeRange>(range).since_us);
  if (std::get<TimeRange>(range).until_us != 0) m.set_until_us(std::get<TimeRange>(range).until_us);
  const auto& listed = std::get<std::vector<v1::Channel>>(channels);
  if (listed.size() > 1) {
    return ApiError(400, "bad_request", "a report is about one inbound channel (or, without channel, all of them)",
                    "channel");
  }
  if (!listed.empty()) m.set_channel(listed[0]);
  if (const std::string* account = http::FindParam(p, "account"); account != nullptr) {
    if (account->empty()) return ApiError(400, "bad_request", "account is empty (leave it out for every account)", "account");
    m.set_account(*account);
  }
  if (const std::string* by = http::FindParam(p, "by"); by != nullptr) {
    auto grouping = client::ParseMetricsGrouping(*by);
    if (!grouping.ok()) return ApiError(400, "bad_request", grouping.status().message(), "by");
    m.set_by(*grouping);
  }
  return m;
}

http::HttpResponse Metrics(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  auto metrics = MetricsParams(std::get<http::Params>(params));
  if (auto* refused = Failed(metrics)) return std::move(*refused);
  v1::QueryRequest request;
  *request.mutable_metrics() = std::move(std::get<v1::MetricsRequest>(metrics));
  // We check every parameter first, so an InvalidArgument from the hub names its field in the message.
  auto answer = AskHub(services.hub, request, {});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  return JsonTextResponse(200, std::get<v1::QueryResponse>(answer).metrics().report_json());
}

}  // namespace

base::Status AddMetricsRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/metrics", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return Metrics(call, services); });
}

}  // namespace omnihub::api
