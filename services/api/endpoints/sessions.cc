// The console's session (docs/api.md "Auth", auth/sessions.h): the one-time login link
// GET /login?code=..., POST /api/v1/session with a pasted token, GET /api/v1/session (who am
// I, and the CSRF token the console sends with its writes), DELETE /api/v1/session (log out).
// The cookie is HttpOnly, SameSite=Strict, Path=/, Secure when api.public_url is https, and
// lives api.session_ttl_s.
#include <spdlog/spdlog.h>

#include "common/base/text.h"
#include "services/api/auth/sessions.h"
#include "services/api/core/api_response.h"
#include "services/api/core/request_params.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

std::string CookieAttributes(const ApiConfig& api, int64_t max_age_s) {
  std::string attributes = "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s);
  if (base::LowerAscii(api.public_url).starts_with("https://")) attributes += "; Secure";
  return attributes;
}

// A new session cookie for `who`: its value, and the Set-Cookie header that sets it.
std::pair<std::string, std::string> NewSession(ApiServices& services, const auth::Principal& who) {
  const int64_t ttl_s = services.api.session_ttl_s;
  const std::string value = services.sessions.Issue(who.token_id, services.clock.NowMicros() / 1'000'000 + ttl_s);
  return {value, std::string(auth::kSessionCookie) + "=" + value + CookieAttributes(services.api, ttl_s)};
}

nlohmann::json SessionJson(const auth::Principal& who) {
  return {{"token_id", who.token_id}, {"name", who.name}, {"scopes", auth::ScopeNames(who.scopes)}};
}

bool IsJsonContent(const http::HttpRequest& request) {
  const auto type = request.header("Content-Type");
  return type && base::LowerAscii(base::Trim(type->substr(0, type->find(';')))) == "application/json";
}

}  // namespace

base::Status AddSessionRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.AddPublic("GET", "/login", [&services](const http::HttpRequest& request) {
    auto params = QueryParams(request);
    if (auto* bad = std::get_if<http::HttpResponse>(&params)) return std::move(*bad);
    const std::string* code = http::FindParam(std::get<http::Params>(params), "code");
    if (code == nullptr || code->empty()) {
      return ApiError(401, "unauthorized", "the login link has no code; ask for a new one (omnihubctl token login NAME)",
                      "code");
    }
    auto who = services.tokens.RedeemLoginCode(*code);
    if (!who.ok()) return ApiError(401, "unauthorized", who.status().message(), "code");
    spdlog::info("console login with a one-time link for token '{}' ({})", who->name, who->token_id);
    http::HttpResponse r;
    r.status = 303;
    r.content_type = "";
    r.headers.emplace_back("Location", "/");
    r.headers.emplace_back("Set-Cookie", NewSession(services, *who).second);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }));

  OMNIHUB_RETURN_IF_ERROR(routes.AddPublic("POST", "/api/v1/session", [&services](const http::HttpRequest& request) {
    // A form on another site cannot send application/json without a CORS preflight, which
    // this API never grants: so no other site can log a browser into a session of its choosing.
    if (!IsJsonContent(request)) {
      return ApiError(400, "bad_request", "send the token as a JSON body with Content-Type: application/json",
                      "Content-Type");
    }
    auto body = JsonBody(request);
    if (auto* bad = std::get_if<http::HttpResponse>(&body)) return std::move(*bad);
    auto token = RequiredString(std::get<nlohmann::json>(body), "token");
    if (auto* bad = std::get_if<http::HttpResponse>(&token)) return std::move(*bad);
    auto who = services.tokens.Verify(std::get<std::string>(token));
    if (!who.ok()) return ApiError(401, "unauthorized", who.status().message(), "token");
    spdlog::info("console login with the token '{}' ({})", who->name, who->token_id);
    auto [value, set_cookie] = NewSession(services, *who);
    nlohmann::json out = SessionJson(*who);
    out["csrf_token"] = services.sessions.CsrfFor(value);
    http::HttpResponse r = JsonResponse(200, out);
    r.headers.emplace_back("Set-Cookie", set_cookie);
    return r;
  }));

  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/session", std::nullopt, [&services](const ApiCall& call) {
    nlohmann::json out = SessionJson(call.who);
    if (call.who.via_session) {
      const auto cookies = call.request.header("Cookie");
      out["csrf_token"] = services.sessions.CsrfFor(auth::CookieValue(cookies.value_or(""), auth::kSessionCookie));
    }
    return JsonResponse(200, out);
  }));

  // Public, so a browser whose session has already expired can still drop its cookie.
  return routes.AddPublic("DELETE", "/api/v1/session", [&services](const http::HttpRequest&) {
    http::HttpResponse r;
    r.status = 204;
    r.content_type = "";
    r.headers.emplace_back("Set-Cookie", std::string(auth::kSessionCookie) + "=" + CookieAttributes(services.api, 0));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace omnihub::api
