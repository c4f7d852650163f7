// Telegram's webhook authentication (channel-formats section 6): the secret_token given to
// setWebhook comes back in every request as the X-Telegram-Bot-Api-Secret-Token header. Telegram
// signs nothing; this header over HTTPS is the whole check, so it is compared in constant time.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string_view>

namespace omnihub::social {

// True when `header` (X-Telegram-Bot-Api-Secret-Token, nullopt when the request had none) equals
// the bot's secret token. False when the header is missing, and always when `expected_secret`
// is empty: an unconfigured secret must not accept a request that sends an empty header.
bool VerifyTelegramSecret(std::string_view expected_secret, std::optional<std::string_view> header);

}  // namespace omnihub::social
