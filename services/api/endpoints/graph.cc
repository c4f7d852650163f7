// The identity graph over HTTP (docs/api.md "Changing the identity graph"): explain (read),
// link, unlink, merge (or its preview) and split (write). The changes are the commands
// omnihubctl sends (common/client/graph_commands.h), with the token's name as their actor, and
// answer with the same JSON omnihubctl prints. Every change needs a reason: the graph keeps it.
#include <chrono>

#include "common/bus/query_transport.h"
#include "common/client/graph_commands.h"
#include "common/client/graph_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/command_client.h"
#include "services/api/core/command_outcome.h"
#include "services/api/core/request_params.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

// Long enough for a merge of large customers on a busy unifier; a slower one answers 503 and
// the command is still applied (it is durable in the outbox).
constexpr std::chrono::milliseconds kGraphCommandTimeout{30'000};

// The body's "reason", or for DELETE (where clients often send no body) the query's.
Parsed<std::string> ReasonOf(const http::HttpRequest& request) {
  if (request.body.empty()) {
    auto params = QueryParams(request);
    if (auto* error = std::get_if<http::HttpResponse>(&params)) return std::move(*error);
    const std::string* reason = http::FindParam(std::get<http::Params>(params), "reason");
    if (reason == nullptr || reason->empty()) {
      return ApiError(400, "bad_request", "reason is required: say why (query parameter or body member)", "reason");
    }
    return *reason;
  }
  auto body = JsonBody(request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  return RequiredString(std::get<nlohmann::json>(body), "reason");
}

// A body member naming a customer (id or identity argument).
Parsed<v1::CustomerSelector> CustomerMember(const nlohmann::json& body, std::string_view field,
                                            const std::string& region) {
  auto value = RequiredString(body, field);
  if (auto* error = std::get_if<http::HttpResponse>(&value)) return std::move(*error);
  return CustomerArgument(std::get<std::string>(value), field, region);
}

// An identity argument that names one identity itself (not a customer id, not a handle).
Parsed<v1::Identity> IdentityArgument(std::string_view value, std::string_view field, const std::string& region) {
  auto selector = CustomerArgument(value, field, region);
  if (auto* error = std::get_if<http::HttpResponse>(&selector)) return std::move(*error);
  auto identity = client::IdentityOfSelector(std::get<v1::CustomerSelector>(selector), field, value);
  if (!identity.ok()) return ApiError(400, "bad_request", identity.status().message(), field);
  return std::move(*identity);
}

// Sends the graph command for the request's tenant; 201 with its result
// (client::GraphResultToJson), or the error.
http::HttpResponse SendGraphCommand(ApiServices& services, const ApiCall& call, v1::Command command,
                                    CommandFieldNames fields) {
  auto tenant = TenantParam(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&tenant)) return std::move(*error);
  command.set_tenant_id(std::move(std::get<std::string>(tenant)));
  WrittenPosition written;
  auto applied =
      AppliedResult(services.commands.Send(command, call.who.name, kGraphCommandTimeout, &written), fields);
  if (auto* error = std::get_if<http::HttpResponse>(&applied)) return std::move(*error);
  return WriteResponse(201, client::GraphResultToJson(command, std::get<v1::CommandResult>(applied)), written);
}

http::HttpResponse Explain(ApiServices& services, const ApiCall& call) {
  auto customer = CustomerArgument(call.request.param("id"), "id", services.config.identity.default_region);
  if (auto* error = std::get_if<http::HttpResponse>(&customer)) return std::move(*error);
  v1::QueryRequest request;
  *request.mutable_explain()->mutable_customer() = std::move(std::get<v1::CustomerSelector>(customer));
  auto response = services.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return StatusResponse(response.status(), "id");
  return JsonResponse(200, client::ExplainToJson(response->explain()));
}

http::HttpResponse Link(ApiServices& services, const ApiCall& call) {
  const std::string& region = services.config.identity.default_region;
  auto customer = CustomerArgument(call.request.param("id"), "id", region);
  if (auto* error = std::get_if<http::HttpResponse>(&customer)) return std::move(*error);
  auto body = JsonBody(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  const auto& json = std::get<nlohmann::json>(body);
  auto identity_arg = RequiredString(json, "identity");
  if (auto* error = std::get_if<http::HttpResponse>(&identity_arg)) return std::move(*error);
  auto identity = IdentityArgument(std::get<std::string>(identity_arg), "identity", region);
  if (auto* error = std::get_if<http::HttpResponse>(&identity)) return std::move(*error);
  auto reason = RequiredString(json, "reason");
  if (auto* error = std::get_if<http::HttpResponse>(&reason)) return std::move(*error);
  return SendGraphCommand(services, call,
                          client::LinkCommand(std::move(std::get<v1::CustomerSelector>(customer)),
                                              std::move(std::get<v1::Identity>(identity)),
                                              std::move(std::get<std::string>(reason))),
                          {{"link.customer", "id"}, {"link.identity", "identity"}, {"link.reason", "reason"},
                           {"identity", "identity"}});
}

http::HttpResponse Unlink(ApiServices& services, const ApiCall& call) {
  auto identity = IdentityArgument(call.request.param("identity"), "identity", services.config.identity.default_region);
  if (auto* error = std::get_if<http::HttpResponse>(&identity)) return std::move(*error);
  auto reason = ReasonOf(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&reason)) return std::move(*error);
  return SendGraphCommand(
      services, call,
      client::UnlinkCommand(std::move(std::get<v1::Identity>(identity)), std::move(std::get<std::string>(reason))),
      {{"unlink.identity", "identity"}, {"unlink.reason", "reason"}, {"identity", "identity"}});
}

http::HttpResponse Merge(ApiServices& services, const ApiCall& call) {
  const std::string& region = services.config.identity.default_region;
  auto body = JsonBody(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  const auto& json = std::get<nlohmann::json>(body);
  auto survivor = CustomerMember(json, "survivor", region);
  if (auto* error = std::get_if<http::HttpResponse>(&survivor)) return std::move(*error);
  auto other = CustomerMember(json, "other", region);
  if (auto* error = std::get_if<http::HttpResponse>(&other)) return std::move(*error);
  auto preview = json.find("preview");
  if (preview != json.end() && !preview->is_boolean()) {
    return ApiError(400, "bad_request", "preview must be true or false", "preview");
  }
  if (preview != json.end() && preview->get<bool>()) {
    // A preview writes nothing, so it needs no reason.
    auto response = services.hub.Call(client::MergePreviewQuery(std::move(std::get<v1::CustomerSelector>(survivor)),
                                                                std::move(std::get<v1::CustomerSelector>(other))),
                                      bus::kQueryTimeout);
    if (!response.ok()) {
      // "survivor: no customer ...", "other: ...", "survivor and other are the same customer ...".
      const bool survivor_failed = response.status().message().starts_with("survivor:");
      return StatusResponse(response.status(), survivor_failed ? "survivor" : "other");
    }
    return JsonResponse(200, client::MergePreviewToJson(response->merge_preview()));
  }
  auto reason = RequiredString(json, "reason");
  if (auto* error = std::get_if<http::HttpResponse>(&reason)) return std::move(*error);
  return SendGraphCommand(services, call,
                          client::MergeCommand(std::move(std::get<v1::CustomerSelector>(survivor)),
                                               std::move(std::get<v1::CustomerSelector>(other)),
                                               std::move(std::get<std::string>(reason))),
                          {{"merge.survivor and merge.other", "other"},
                           {"merge.survivor", "survivor"},
                           {"merge.other", "other"},
                           {"merge.reason", "reason"}});
}

http::HttpResponse Split(ApiServices& services, const ApiCall& call) {
  auto merge_id = client::ParseMergeId(call.request.param("merge_id"), "merge_id");
  if (!merge_id.ok()) return ApiError(400, "bad_request", merge_id.status().message(), "merge_id");
  auto body = JsonBody(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  auto reason = RequiredString(std::get<nlohmann::json>(body), "reason");
  if (auto* error = std::get_if<http::HttpResponse>(&reason)) return std::move(*error);
  return SendGraphCommand(services, call,
                          client::SplitCommand(std::move(*merge_id), std::move(std::get<std::string>(reason))),
                          {{"split.merge_id", "merge_id"}, {"split.reason", "reason"}});
}

}  // namespace

base::Status AddGraphRoutes(ApiRoutes& routes, ApiServices& services) {
  using auth::Scope;
  auto bind = [&services](http::HttpResponse (*handler)(ApiServices&, const ApiCall&)) {
    return [&services, handler](const ApiCall& call) { return handler(services, call); };
  };
  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/customers/{id}/explain", Scope::kRead, bind(Explain)));
  OMNIHUB_RETURN_IF_ERROR(routes.Add("POST", "/api/v1/customers/{id}/identities", Scope::kWrite, bind(Link)));
  OMNIHUB_RETURN_IF_ERROR(routes.Add("DELETE", "/api/v1/identities/{identity}", Scope::kWrite, bind(Unlink)));
  OMNIHUB_RETURN_IF_ERROR(routes.Add("POST", "/api/v1/merges", Scope::kWrite, bind(Merge)));
  return routes.Add("POST", "/api/v1/merges/{merge_id}/split", Scope::kWrite, bind(Split));
}

}  // namespace omnihub::api
