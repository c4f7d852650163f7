#include "services/api/auth/sessions.h"

#include <charconv>

#include "common/base/coding.h"
#include "common/http/webhook_auth.h"

namespace omnihub::api::auth {
namespace {

std::string Sign(const std::string& key, std::string_view data) {
  return base::HexEncode(http::Hmac(http::Digest::kSha256, key, data));
}

}  // namespace

std::string SessionSigner::Issue(const std::string& token_id, int64_t expires_s) const {
  const std::string payload = token_id + "." + std::to_string(expires_s);
  return payload + "." + Sign(key_, payload);
}

base::Result<std::string> SessionSigner::Check(std::string_view cookie_value, int64_t now_s) const {
  const auto invalid = base::Status::NotFound("the session is not valid; log in again");
  const size_t first = cookie_value.find('.');
  const size_t last = cookie_value.rfind('.');
  if (first == std::string_view::npos || last == first) return invalid;
  const std::string_view payload = cookie_value.substr(0, last);
  if (!http::ConstantTimeEquals(Sign(key_, payload), cookie_value.substr(last + 1))) return invalid;
  int64_t expires_s = 0;
  const std::string_view expiry = cookie_value.substr(first + 1, last - first - 1);
  auto [end, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), expires_s);
  if (ec != std::errc() || end != expiry.data() + expiry.size()) return invalid;
  if (expires_s <= now_s) return base::Status::NotFound("the session has expired; log in again");
  return std::string(cookie_value.substr(0, first));
}

std::string SessionSigner::CsrfFor(std::string_view cookie_value) const {
  return Sign(key_, "csrf." + std::string(cookie_value));
}

bool SessionSigner::CsrfMatches(std::string_view cookie_value, std::string_view presented) const {
  return http::ConstantTimeEquals(CsrfFor(cookie_value), presented);
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

}  // namespace omnihub::api::auth
