// GET /api/v1/suggestions: possible duplicates (docs/suggestions.md), open ones by default,
// also dismissed and merged ones with ?all=true, for one customer with ?customer=.
// POST /api/v1/suggestions/{id}/dismiss (write): says the pair is not one person; the
// dismiss_suggestion command goes through the API's outbox with the token's name as actor.
#include "services/api/endpoints/endpoints.h"

#include <chrono>

#include "common/client/command_rejection.h"
#include "common/client/query_values.h"
#include "common/client/suggestion_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/command_client.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"
#include "services/api/core/write_position.h"

namespace omnihub::api {
namespace {

constexpr uint32_t kDefaultPage = 50;
// How long a dismissal waits for the unifier's result before answering 503 (the command is
// durable by then and will still be applied).
constexpr std::chrono::milliseconds kCommandTimeout{10000};

http::HttpResponse List(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown = UnknownParam(p, {"customer", "all", "limit", "cursor"})) return std::move(*unknown);
  const uint32_t page_max = PageMax(services);
  auto limit = LimitParam(p, std::min(kDefaultPage, page_max), page_max);
  if (auto* refused = Failed(limit)) return std::move(*refused);
  auto all = FlagParam(p, "all");
  if (auto* refused = Failed(all)) return std::move(*refused);

  v1::QueryRequest request;
  v1::SuggestionListRequest* s = request.mutable_suggestions();
  if (const std::string* customer = http::FindParam(p, "customer"); customer != nullptr) {
    auto selector = CustomerArgument(*customer, "customer", services.config.identity.default_region);
    if (auto* refused = Failed(selector)) return std::move(*refused);
    *s->mutable_customer() = std::move(std::get<v1::CustomerSelector>(selector));
  }
  s->set_include_resolved(std::get<bool>(all));
  s->set_limit(std::get<uint32_t>(limit));
  s->set_cursor(std::string(http::ParamOrEmpty(p, "cursor")));
  auto answer = AskHub(services.hub, request,
                       {.invalid_field = "customer", .not_found_field = "customer", .passed_cursor = !s->cursor().empty()});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  const v1::SuggestionListResponse& page = std::get<v1::QueryResponse>(answer).suggestions();
  nlohmann::json suggestions = nlohmann::json::array();
  for (const auto& suggestion : page.suggestions()) suggestions.push_back(client::SuggestionToJson(suggestion));
  return JsonResponse(200, {{"suggestions", std::move(suggestions)}, {"next_cursor", NextCursorJson(page.next_cursor())}});
}

http::HttpResponse Dismiss(const ApiCall& call, ApiServices& services) {
  auto id = client::ParseSuggestionId(call.request.param("id"));
  if (!id.ok()) return ApiError(400, "bad_request", id.status().message(), "id");
  auto body = JsonBody(call.request);
  if (auto* refused = Failed(body)) return std::move(*refused);
  auto reason = RequiredString(std::get<nlohmann::json>(body), "reason");
  if (auto* refused = Failed(reason)) return std::move(*refused);
  auto tenant = TenantParam(call.request);
  if (auto* refused = Failed(tenant)) return std::move(*refused);

  v1::Command command;
  command.set_tenant_id(std::move(std::get<std::string>(tenant)));
  command.set_reason(std::move(std::get<std::string>(reason)));
  command.mutable_dismiss_suggestion()->set_suggestion_id(*id);
  WrittenPosition written;
  auto result = services.commands.Send(std::move(command), call.who.name, kCommandTimeout, &written);
  if (!result.ok()) return StatusResponse(result.status());
  if (base::Status rejected = client::RejectionOf(*result); !rejected.ok()) return StatusResponse(rejected, "id");
  return WriteResponse(200, client::DismissalToJson(*id, *result), written);
}

}  // namespace

base::Status AddSuggestionRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/suggestions", auth::Scope::kRead,
                                     [&services](const ApiCall& call) { return List(call, services); }));
  return routes.Add("POST", "/api/v1/suggestions/{id}/dismiss", auth::Scope::kWrite,
                    [&services](const ApiCall& call) { return Dismiss(call, services); });
}

}  // namespace omnihub::api
