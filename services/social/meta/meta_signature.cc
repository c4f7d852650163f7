#include "services/social/meta/meta_signature.h"

#include "common/base/coding.h"
#include "common/http/webhook_auth.h"

namespace omnihub::social {
namespace {

constexpr std::string_view kSignaturePrefix = "sha256=";

bool IsVisibleAscii(std::string_view s) {
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

bool VerifyMetaSignature(std::string_view app_secret, std::optional<std::string_view> header,
                         std::string_view raw_body) {
  if (app_secret.empty() || !header.has_value()) return false;
  std::string_view given = *header;
  // Meta writes the prefix in lower case; only the hex digits may vary in case.
  if (given.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) return false;
  given.remove_prefix(kSignaturePrefix.size());
  const std::string expected = base::HexEncode(http::Hmac(http::Digest::kSha256, app_secret, raw_body));
  return http::ConstantTimeEqualsIgnoreCase(expected, given);
}

std::optional<std::string> MetaHandshakeChallenge(std::string_view mode, std::string_view token,
                                                  std::string_view challenge, std::string_view verify_token) {
  // The token is compared whatever the other parameters say, so timing tells nothing about it.
  const bool token_ok = http::ConstantTimeEquals(token, verify_token) && !verify_token.empty();
  if (!token_ok || mode != "subscribe") return std::nullopt;
  if (challenge.empty() || challenge.size() > kMaxMetaChallengeBytes || !IsVisibleAscii(challenge)) {
    return std::nullopt;
  }
  return std::string(challenge);
}

}  // namespace omnihub::social
