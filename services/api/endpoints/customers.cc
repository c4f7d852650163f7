// GET /api/v1/customers?identity=ARG and GET /api/v1/customers/{id}: a customer's profile
// (client::CustomerProfileToJson, docs/api.md "Reading customers and timelines"), read with
// the hub's customer_profile query in O(identities + one page).
#include "services/api/endpoints/endpoints.h"

#include "common/client/profile_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

// `field` is the parameter that named the customer ("identity" or "id").
http::HttpResponse Profile(ApiServices& services, v1::CustomerSelector selector, std::string_view field) {
  v1::QueryRequest request;
  *request.mutable_customer_profile()->mutable_customer() = std::move(selector);
  auto answer = AskHub(services.hub, request, {.invalid_field = field, .not_found_field = field});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  return JsonResponse(200, client::CustomerProfileToJson(std::get<v1::QueryResponse>(answer).customer_profile()));
}

}  // namespace

base::Status AddCustomerRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/customers", auth::Scope::kRead, [&services](const ApiCall& call) {
    auto params = QueryParams(call.request);
    if (auto* refused = Failed(params)) return std::move(*refused);
    const auto& p = std::get<http::Params>(params);
    if (auto unknown = UnknownParam(p, {"identity"})) return std::move(*unknown);
    auto selector = CustomerArgument(http::ParamOrEmpty(p, "identity"), "identity",
                                     services.config.identity.default_region);
    if (auto* refused = Failed(selector)) return std::move(*refused);
    return Profile(services, std::move(std::get<v1::CustomerSelector>(selector)), "identity");
  }));
  return routes.Add("GET", "/api/v1/customers/{id}", auth::Scope::kRead, [&services](const ApiCall& call) {
    auto params = QueryParams(call.request);
    if (auto* refused = Failed(params)) return std::move(*refused);
    if (auto unknown = UnknownParam(std::get<http::Params>(params), {})) return std::move(*unknown);
    auto selector = PathCustomer(call, services);
    if (auto* refused = Failed(selector)) return std::move(*refused);
    return Profile(services, std::move(std::get<v1::CustomerSelector>(selector)), "id");
  });
}

}  // namespace omnihub::api
