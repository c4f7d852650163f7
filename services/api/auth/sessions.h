// The console's session: after a one-time login link (GET /login?code=...) or a pasted token
// (POST /api/v1/session), the browser holds the cookie
//   omnihub_session=<token_id>.<expires_s>.<HMAC-SHA256(session key, token_id "." expires_s), hex>
// with HttpOnly, SameSite=Strict and Path=/ (Secure when api.public_url is https). The token's
// own checks (revoked, expired) apply on every request. Writes from the console carry the
// CSRF token in the X-CSRF-Token header: HMAC-SHA256(session key, "csrf." cookie value), hex,
// which GET /api/v1/session returns; a cookie-authenticated write without it is refused (403).
//
// Thread-safety: all methods are const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::api::auth {

inline constexpr char kSessionCookie[] = "omnihub_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

class SessionSigner {
 public:
  explicit SessionSigner(std::string key) : key_(std::move(key)) {}

  // The cookie value for `token_id`, valid until `expires_s` (Unix seconds).
  std::string Issue(const std::string& token_id, int64_t expires_s) const;
  // The token id of a well-formed, correctly signed, unexpired cookie value; NotFound otherwise.
  base::Result<std::string> Check(std::string_view cookie_value, int64_t now_s) const;
  // The CSRF token that belongs to a cookie value.
  std::string CsrfFor(std::string_view cookie_value) const;
  // Constant-time comparison of a presented CSRF token with CsrfFor(cookie_value).
  bool CsrfMatches(std::string_view cookie_value, std::string_view presented) const;

 private:
  std::string key_;
};

// The value of cookie `name` in a Cookie header value ("a=1; omnihub_session=x"), or "".
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace omnihub::api::auth
