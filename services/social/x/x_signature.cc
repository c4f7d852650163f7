#include "services/social/x/x_signature.h"

#include <nlohmann/json.hpp>

#include "common/http/webhook_auth.h"

namespace omnihub::social {

std::string XSignature(std::string_view consumer_secret, std::string_view data) {
  return "sha256=" + http::Base64Encode(http::Hmac(http::Digest::kSha256, consumer_secret, data));
}

std::string XCrcResponseBody(std::string_view consumer_secret, std::string_view crc_token) {
  // Base64 is ASCII, so dump() never meets invalid UTF-8 (it would throw).
  return nlohmann::json{{"response_token", XSignature(consumer_secret, crc_token)}}.dump();
}

bool VerifyXSignature(std::string_view consumer_secret, std::optional<std::string_view> header,
                      std::string_view raw_body) {
  if (!header.has_value() || consumer_secret.empty()) return false;
  return http::ConstantTimeEquals(XSignature(consumer_secret, raw_body), *header);
}

}  // namespace omnihub::social
