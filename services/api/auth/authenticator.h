// Decides who a request comes from and whether it may do what it asks (docs/api.md "Auth"):
//   Authorization: Bearer <token>   -> the token's principal
//   Cookie: omnihub_session=...     -> the session's token's principal (via_session); a method
//                                      other than GET/HEAD also needs X-CSRF-Token
//   neither, or not valid           -> 401 unauthorized (with WWW-Authenticate: Bearer)
// then the scope the route needs (403 forbidden, naming it) and the token's rate limit (429
// rate_limited with Retry-After). The refusals carry the API's JSON error body.
//
// Thread-safety: Authorize is thread-safe.
#pragma once

#include <optional>
#include <variant>

#include "common/http/types.h"
#include "services/api/auth/principal.h"
#include "services/api/auth/rate_limiter.h"
#include "services/api/auth/sessions.h"
#include "services/api/auth/token_store.h"

namespace omnihub::api::auth {

class Authenticator {
 public:
  // Every reference must outlive the authenticator.
  Authenticator(const TokenStore& tokens, const SessionSigner& sessions, RateLimiter& limiter, base::Clock& clock);

  // The principal, or the response that refuses the request. `needed` nullopt = any valid
  // token (e.g. GET /api/v1/session).
  std::variant<Principal, http::HttpResponse> Authorize(const http::HttpRequest& request,
                                                        std::optional<Scope> needed) const;

 private:
  const TokenStore& tokens_;
  const SessionSigner& sessions_;
  RateLimiter& limiter_;
  base::Clock& clock_;
};

}  // namespace omnihub::api::auth
