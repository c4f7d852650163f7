#include "services/api/auth/authenticator.h"

namespace omnihub::api::auth {
namespace {

// The API's error shape (docs/api.md "Errors"), not cached.
http::HttpResponse Refusal(int status, std::string_view code, std::string_view message) {
  http::HttpResponse r = http::JsonError(status, code, message);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::HttpResponse Unauthorized(std::string_view message) {
  http::HttpResponse r = Refusal(401, "unauthorized", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"omnihub\"");
  return r;
}

bool IsSafeMethod(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

Authenticator::Authenticator(const TokenStore& tokens, const SessionSigner& sessions, RateLimiter& limiter,
                             base::Clock& clock)
    : tokens_(tokens), sessions_(sessions), limiter_(limiter), clock_(clock) {}

std::variant<Principal, http::HttpResponse> Authenticator::Authorize(const http::HttpRequest& request,
                                                                     std::optional<Scope> needed) const {
  Principal who;
  if (auto header = request.header("Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
      return Unauthorized("the Authorization header must be 'Bearer <token>'");
    }
    auto verified = tokens_.Verify(header->substr(kBearer.size()));
    if (!verified.ok()) return Unauthorized(verified.status().message());
    who = std::move(*verified);
  } else if (auto cookies = request.header("Cookie"); cookies && !CookieValue(*cookies, kSessionCookie).empty()) {
    const std::string_view cookie = CookieValue(*cookies, kSessionCookie);
    auto token_id = sessions_.Check(cookie, clock_.NowMicros() / 1'000'000);
    if (!token_id.ok()) return Unauthorized(token_id.status().message());
    auto principal = tokens_.PrincipalOf(*token_id);
    if (!principal.ok()) return Unauthorized(principal.status().message());
    who = std::move(*principal);
    who.via_session = true;
    if (!IsSafeMethod(request.method)) {
      auto presented = request.header(kCsrfHeader);
      if (!presented || !sessions_.CsrfMatches(cookie, *presented)) {
        return Refusal(403, "csrf_failed",
                       "a console write needs the X-CSRF-Token header from GET /api/v1/session; reload the console");
      }
    }
  } else {
    return Unauthorized("send 'Authorization: Bearer <token>' (omnihubctl token create) or log in to the console");
  }
  if (needed && !who.Has(*needed)) {
    return Refusal(403, "forbidden",
                   "the token '" + who.name + "' lacks the '" + std::string(ScopeName(*needed)) + "' scope");
  }
  if (const uint32_t wait_s = limiter_.Admit(who.token_id, who.rate_limit_per_s); wait_s != 0) {
    http::HttpResponse r = Refusal(429, "rate_limited",
                                   "too many requests for token '" + who.name + "'; retry after " +
                                       std::to_string(wait_s) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(wait_s));
    return r;
  }
  return who;
}

}  // namespace omnihub::api::auth
