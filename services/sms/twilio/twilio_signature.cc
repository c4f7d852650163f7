#include "services/sms/twilio/twilio_signature.h"

#include <algorithm>
#include <vector>

#include "common/base/sha256.h"
#include "common/base/text.h"
#include "common/http/webhook_auth.h"

namespace omnihub::sms {
namespace {

// The parts of "scheme://[userinfo@]host[:port]/path?query" that the port variants touch.
struct UrlParts {
  std::string_view scheme;
  std::string_view before_port;  // everything up to the end of the host
  std::string_view port;         // digits after ':' (may be empty when the ':' is there)
  bool has_port = false;
  std::string_view rest;  // path, query, fragment
};

bool SplitUrl(std::string_view url, UrlParts* parts) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  parts->scheme = url.substr(0, scheme_end);
  const size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  const size_t at = authority.rfind('@');
  const size_t host_begin = at == std::string_view::npos ? 0 : at + 1;
  // An IPv6 literal holds colons of its own: the port colon comes after ']'.
  size_t search_from = host_begin;
  if (host_begin < authority.size() && authority[host_begin] == '[') {
    const size_t close = authority.find(']', host_begin);
    if (close == std::string_view::npos) return false;
    search_from = close;
  }
  const size_t colon = authority.find(':', search_from);
  const size_t host_end = colon == std::string_view::npos ? authority.size() : colon;
  if (host_end == host_begin) return false;  // no host
  parts->before_port = url.substr(0, authority_begin + host_end);
  parts->has_port = colon != std::string_view::npos;
  parts->port = parts->has_port ? authority.substr(colon + 1) : std::string_view();
  for (char c : parts->port) {
    if (!base::IsAsciiDigit(c)) return false;
  }
  parts->rest = url.substr(authority_end);
  return true;
}

// The value of `name` in the URL's query (decoded), or nullopt-like false.
bool QueryValue(std::string_view url, std::string_view name, std::string* value) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  auto params = ParseFormParams(query);
  if (!params.ok()) return false;
  const std::string* v = FindParam(*params, name);
  if (v == nullptr) return false;
  *value = *v;
  return true;
}

bool MatchesAnyUrlForm(std::string_view auth_token, std::string_view url, const Params& params,
                       std::string_view header) {
  // Each form is checked in full (no early exit) so the time taken does not say which failed.
  bool valid = http::ConstantTimeEquals(ComputeTwilioSignature(auth_token, url, params), header);
  const std::string with_port = TwilioUrlWithDefaultPort(url);
  const std::string without_port = TwilioUrlWithoutPort(url);
  if (with_port != url) valid |= http::ConstantTimeEquals(ComputeTwilioSignature(auth_token, with_port, params), header);
  if (without_port != url) valid |= http::ConstantTimeEquals(ComputeTwilioSignature(auth_token, without_port, params), header);
  return valid;
}

}  // namespace

std::string ComputeTwilioSignature(std::string_view auth_token, std::string_view url, const Params& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& p : params) sorted.push_back(&p);
  // Byte order of names, then of values for repeated names (std::string compares as unsigned bytes).
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string data(url);
  for (const auto* p : sorted) {
    data += p->first;
    data += p->second;
  }
  return http::Base64Encode(http::Hmac(http::Digest::kSha1, auth_token, data));
}

bool ValidTwilioSignature(std::string_view auth_token, std::string_view url, const Params& params,
                          std::string_view header) {
  if (header.empty()) return false;
  return MatchesAnyUrlForm(auth_token, url, params, header);
}

bool ValidTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                              std::string_view header) {
  std::string body_hash;
  if (header.empty() || !QueryValue(url, "bodySHA256", &body_hash)) return false;
  const bool body_ok = http::ConstantTimeEqualsIgnoreCase(base::Sha256Hex(raw_body), body_hash);
  const bool url_ok = MatchesAnyUrlForm(auth_token, url, Params(), header);
  return body_ok && url_ok;
}

std::string TwilioUrlWithDefaultPort(std::string_view url) {
  UrlParts parts;
  if (!SplitUrl(url, &parts) || parts.has_port) return std::string(url);
  const std::string scheme = base::LowerAscii(parts.scheme);
  std::string_view port;
  if (scheme == "https") {
    port = "443";
  } else if (scheme == "http") {
    port = "80";
  } else {
    return std::string(url);
  }
  return std::string(parts.before_port) + ":" + std::string(port) + std::string(parts.rest);
}

std::string TwilioUrlWithoutPort(std::string_view url) {
  UrlParts parts;
  if (!SplitUrl(url, &parts) || !parts.has_port) return std::string(url);
  return std::string(parts.before_port) + std::string(parts.rest);
}

}  // namespace omnihub::sms
