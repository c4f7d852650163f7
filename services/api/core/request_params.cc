#include "services/api/core/request_params.h"

#include <charconv>

#include "common/bus/routing/query_route.h"
#include "common/client/customer_selector.h"
#include "common/client/query_values.h"
#include "common/event/tenant_id.h"
#include "services/api/core/api_response.h"

namespace omnihub::api {

Parsed<http::Params> QueryParams(const http::HttpRequest& request) {
  auto params = http::ParseFormParams(request.query);
  if (!params.ok()) return ApiError(400, "bad_request", params.status().message(), "query");
  return std::move(*params);
}

Parsed<v1::CustomerSelector> CustomerArgument(std::string_view value, std::string_view field,
                                              const std::string& default_region) {
  if (value.empty()) {
    return ApiError(400, "bad_request", "give a customer id or an identity such as email:ana@example.com", field);
  }
  auto selector = client::ParseCustomerSelector(std::string(value), default_region);
  if (!selector.ok()) return ApiError(400, "bad_request", selector.status().message(), field);
  return std::move(*selector);
}

Parsed<uint32_t> LimitParam(const http::Params& params, uint32_t fallback, uint32_t max) {
  const std::string* value = http::FindParam(params, "limit");
  if (value == nullptr) return fallback;
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size() || n == 0 || n > max) {
    return ApiError(400, "bad_request", "limit must be a whole number from 1 to " + std::to_string(max), "limit");
  }
  return n;
}

Parsed<int64_t> TimeParam(const http::Params& params, std::string_view field) {
  const std::string* value = http::FindParam(params, field);
  if (value == nullptr || value->empty()) return int64_t{0};
  auto t = client::ParseTimeValue(*value);
  if (!t.ok()) return ApiError(400, "bad_request", std::string(field) + " " + t.status().message(), field);
  return *t;
}

Parsed<std::vector<v1::Channel>> ChannelsParam(const http::Params& params, std::string_view field) {
  std::vector<v1::Channel> channels;
  for (const auto& [name, value] : params) {
    if (name != field) continue;
    if (auto s = client::ParseChannelList(value, &channels); !s.ok()) {
      return ApiError(400, "bad_request", s.message(), field);
    }
  }
  return channels;
}

Parsed<nlohmann::json> JsonBody(const http::HttpRequest& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return ApiError(400, "bad_request", "the body must be a JSON object", "body");
  }
  return body;
}

Parsed<std::string> TenantParam(const http::HttpRequest& request) {
  auto params = QueryParams(request);
  if (auto* error = std::get_if<http::HttpResponse>(&params)) return std::move(*error);
  std::string tenant(event::kDefaultTenant);
  const bus::QueryRoute* route = bus::CurrentQueryRoute();
  if (const std::string* given = http::FindParam(std::get<http::Params>(params), "tenant")) {
    tenant = *given;
  } else if (route != nullptr && route->tenant != event::kDefaultTenant) {
    // ?tenant= of a request the API dispatched: TakeQueryRoute took it out of the query
    // (core/query_route_params.h) into the request's route, already checked.
    tenant = route->tenant;
  } else if (!request.body.empty()) {
    const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_object() && body.contains("tenant")) {
      if (!body["tenant"].is_string()) return ApiError(400, "bad_request", "tenant must be a string", "tenant");
      tenant = body["tenant"].get<std::string>();
    }
  }
  if (!event::IsValidTenantId(tenant)) {
    return ApiError(400, "bad_request",
                    "tenant '" + tenant + "' is not a tenant id: use " + std::string(event::kTenantIdRule), "tenant");
  }
  return event::WireTenant(tenant);
}

Parsed<std::string> RequiredString(const nlohmann::json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return ApiError(400, "bad_request", std::string(field) + " is required (a non-empty string)", field);
  }
  return it->get<std::string>();
}

}  // namespace omnihub::api
