// Token administration over HTTP (docs/api.md "Auth"), admin scope: list (never a secret),
// create (the secret once, in the 201 answer) and revoke by id or name. The same TokenStore
// files omnihubctl's `token` commands write; every action is logged and appended to the
// store's audit log with the acting token's name.
#include <spdlog/spdlog.h>

#include "services/api/auth/token_audit.h"
#include "services/api/auth/token_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/request_params.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

constexpr int64_t kMaxExpiresInS = 100LL * 365 * 86400;
constexpr int64_t kMaxRatePerS = 1'000'000;  // as api.rate_limit_per_s

struct CreateRequest {
  std::string name;
  uint8_t scopes = 0;
  int64_t ttl_us = 0;
  uint32_t rate_limit_per_s = 0;
};

// An optional whole number member in [1, max]; 0 when absent.
Parsed<int64_t> OptionalCount(const nlohmann::json& body, std::string_view field, int64_t max) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return int64_t{0};
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > max) {
    return ApiError(400, "bad_request",
                    std::string(field) + " must be a whole number from 1 to " + std::to_string(max), field);
  }
  return it->get<int64_t>();
}

Parsed<CreateRequest> ParseCreate(const http::HttpRequest& request) {
  auto body = JsonBody(request);
  if (auto* bad = std::get_if<http::HttpResponse>(&body)) return std::move(*bad);
  const nlohmann::json& j = std::get<nlohmann::json>(body);
  CreateRequest out;
  auto name = RequiredString(j, "name");
  if (auto* bad = std::get_if<http::HttpResponse>(&name)) return std::move(*bad);
  out.name = std::move(std::get<std::string>(name));

  auto scopes = j.find("scopes");
  if (scopes == j.end() || !scopes->is_array() || scopes->empty()) {
    return ApiError(400, "bad_request", "scopes is required: a non-empty array of read, write, ingest, admin", "scopes");
  }
  for (const auto& scope : *scopes) {
    const auto known = scope.is_string() ? auth::ScopeFromName(scope.get_ref<const std::string&>()) : std::nullopt;
    if (!known) {
      return ApiError(400, "bad_request", "unknown scope " + scope.dump() + " (use read, write, ingest, admin)",
                      "scopes");
    }
    out.scopes |= static_cast<uint8_t>(*known);
  }
  auto expires = OptionalCount(j, "expires_in_s", kMaxExpiresInS);
  if (auto* bad = std::get_if<http::HttpResponse>(&expires)) return std::move(*bad);
  out.ttl_us = std::get<int64_t>(expires) * 1'000'000;
  auto rate = OptionalCount(j, "rate_limit_per_s", kMaxRatePerS);
  if (auto* bad = std::get_if<http::HttpResponse>(&rate)) return std::move(*bad);
  out.rate_limit_per_s = static_cast<uint32_t>(std::get<int64_t>(rate));
  return out;
}

// The audit line; the action itself has happened, so a failure to record it is logged, not
// answered as an error.
void Audit(ApiServices& services, auth::TokenAction action, const ApiCall& call, const auth::TokenRecord& token) {
  const auto audited = auth::AuditTokenAction(services.tokens.dir(), services.clock,
                                              {.action = action, .actor = call.who.name, .via = "api", .token = &token});
  if (!audited.ok()) spdlog::error("token audit log: {}", audited.message());
}

}  // namespace

base::Status AddTokenRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/tokens", auth::Scope::kAdmin, [&services](const ApiCall&) {
    auto records = services.tokens.List();
    if (!records.ok()) return StatusResponse(records.status());
    nlohmann::json tokens = nlohmann::json::array();
    for (const auto& record : *records) tokens.push_back(auth::TokenRecordToJson(record));
    return JsonResponse(200, {{"tokens", std::move(tokens)}});
  }));

  OMNIHUB_RETURN_IF_ERROR(routes.Add("POST", "/api/v1/tokens", auth::Scope::kAdmin, [&services](const ApiCall& call) {
    auto parsed = ParseCreate(call.request);
    if (auto* bad = std::get_if<http::HttpResponse>(&parsed)) return std::move(*bad);
    const CreateRequest& req = std::get<CreateRequest>(parsed);
    auto made = services.tokens.Create(req.name, req.scopes, req.ttl_us, call.who.name, req.rate_limit_per_s);
    if (!made.ok()) {
      const bool about_name = made.status().IsInvalidArgument() ||
                              made.status().code() == base::StatusCode::kAlreadyExists;
      return StatusResponse(made.status(), about_name ? "name" : "");
    }
    Audit(services, auth::TokenAction::kCreate, call, made->record);
    return JsonResponse(201, auth::NewTokenToJson(*made));
  }));

  return routes.Add("DELETE", "/api/v1/tokens/{id}", auth::Scope::kAdmin, [&services](const ApiCall& call) {
    auto revoked = services.tokens.Revoke(std::string(call.request.param("id")));
    if (!revoked.ok()) return StatusResponse(revoked.status(), "id");
    Audit(services, auth::TokenAction::kRevoke, call, *revoked);
    return JsonResponse(200, auth::TokenRecordToJson(*revoked));
  });
}

}  // namespace omnihub::api
