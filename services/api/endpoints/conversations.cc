// GET /api/v1/conversations/{id}: one page of a conversation, oldest first, across the
// customers that wrote in it; {id} is the conversation key as events carry it (URL-encoded).
// Each entry is client::ConversationEntryToJson, as omnihubctl conversation prints it.
#include "services/api/endpoints/endpoints.h"

#include "common/client/conversation_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

constexpr uint32_t kDefaultPage = 50;

http::HttpResponse Conversation(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown = UnknownParam(p, {"limit", "cursor"})) return std::move(*unknown);
  const uint32_t page_max = PageMax(services);
  auto limit = LimitParam(p, std::min(kDefaultPage, page_max), page_max);
  if (auto* refused = Failed(limit)) return std::move(*refused);

  v1::QueryRequest request;
  v1::ConversationRequest* c = request.mutable_conversation();
  c->set_conversation(std::string(call.request.param("id")));
  c->set_limit(std::get<uint32_t>(limit));
  c->set_cursor(std::string(http::ParamOrEmpty(p, "cursor")));
  auto answer = AskHub(services.hub, request,
                       {.invalid_field = "id", .not_found_field = "id", .passed_cursor = !c->cursor().empty()});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  const v1::ConversationResponse& page = std::get<v1::QueryResponse>(answer).conversation();
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& entry : page.entries()) entries.push_back(client::ConversationEntryToJson(entry));
  return JsonResponse(200, {{"conversation", page.conversation()},
                            {"entries", std::move(entries)},
                            {"next_cursor", NextCursorJson(page.next_cursor())}});
}

}  // namespace

base::Status AddConversationRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/conversations/{id}", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return Conversation(call, services); });
}

}  // namespace omnihub::api
