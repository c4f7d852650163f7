// GET /api/v1/search?q=: full-text search (docs/search.md) over subjects and message text,
// newest first or by relevance, with the filters of omnihubctl search. Each hit is
// client::HitToJson; its snippet marks the matched words as [[word]]. The answer also says how
// far the index has caught up with the store (indexed_change_seq against last_change_seq).
#include "services/api/endpoints/endpoints.h"

#include "common/client/query_values.h"
#include "common/client/search_json.h"
#include "common/event/enum_names.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

constexpr uint32_t kDefaultPage = 20;

http::HttpResponse Search(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown =
          UnknownParam(p, {"q", "customer", "channel", "since", "until", "direction", "order", "limit", "cursor"})) {
    return std::move(*unknown);
  }
  auto text = RequiredParam(p, "q", "words, \"quoted phrases\" or identifiers to look for");
  if (auto* refused = Failed(text)) return std::move(*refused);
  auto filter = PageFilterParams(p, services, kDefaultPage);
  if (auto* refused = Failed(filter)) return std::move(*refused);

  v1::QueryRequest request;
  v1::SearchRequest* s = request.mutable_search();
  s->set_query(std::get<std::string>(text));
  if (const std::string* customer = http::FindParam(p, "customer"); customer != nullptr) {
    auto selector = CustomerArgument(*customer, "customer", services.config.identity.default_region);
    if (auto* refused = Failed(selector)) return std::move(*refused);
    *s->mutable_customer() = std::move(std::get<v1::CustomerSelector>(selector));
  }
  if (const std::string* order = http::FindParam(p, "order"); order != nullptr && !order->empty()) {
    auto parsed = client::ParseSearchOrder(*order);
    if (!parsed.ok()) return ApiError(400, "bad_request", parsed.status().message(), "order");
    s->set_order(*parsed);
  }
  ApplyPageFilter(std::get<PageFilter>(filter), s);

  auto answer = AskHub(services.hub, request,
                       {.invalid_field = "q", .not_found_field = "customer", .passed_cursor = !s->cursor().empty()});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  const v1::SearchResponse& page = std::get<v1::QueryResponse>(answer).search();
  const bool relevance = s->order() == v1::SearchRequest::RELEVANCE;
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& hit : page.hits()) hits.push_back(client::HitToJson(hit, relevance));
  return JsonResponse(200, {{"hits", std::move(hits)},
                            {"next_cursor", NextCursorJson(page.next_cursor())},
                            {"estimated_matches", page.estimated_matches()},
                            {"indexed_change_seq", page.indexed_change_seq()},
                            {"last_change_seq", page.last_change_seq()}});
}

}  // namespace

base::Status AddSearchRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/search", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return Search(call, services); });
}

}  // namespace omnihub::api
