#include "services/social/telegram/telegram_auth.h"

#include "common/http/webhook_auth.h"

namespace omnihub::social {

bool VerifyTelegramSecret(std::string_view expected_secret, std::optional<std::string_view> header) {
  if (!header.has_value() || expected_secret.empty()) return false;
  return http::ConstantTimeEquals(expected_secret, *header);
}

}  // namespace omnihub::social
