// The provider accounts omnihub-sms serves, with their secrets resolved: each account's
// secret comes from the environment variable its config names; when that is unset, the
// config's development secret stands in with a warning (the embedded default config has
// one, production configs should not). A Twilio account must end up with a token; a Vonage
// account without a signature secret accepts unsigned requests (Vonage signs only when
// signing is switched on in its dashboard), and says so in the log.
//
// Thread-safety: the resolved accounts are immutable values.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "services/sms/sms_config.h"
#include "services/sms/vonage/vonage_signature.h"

namespace omnihub::sms {

struct TwilioAccount {
  std::string name;
  std::string auth_token;
};

struct VonageAccount {
  std::string name;
  std::string signature_secret;  // "" = requests are not signed
  VonageSignatureMethod method = VonageSignatureMethod::kMd5Hash;
};

struct SmsAccounts {
  std::vector<TwilioAccount> twilio;
  std::vector<VonageAccount> vonage;
  std::vector<std::string> warnings;  // for the log: development secrets, unsigned accounts

  const TwilioAccount* FindTwilio(std::string_view name) const;
  const VonageAccount* FindVonage(std::string_view name) const;
};

// Reads each account's secret through `getenv` (std::getenv in production). InvalidArgument
// naming the account and the variable when a Twilio account has no token.
using GetEnvFn = std::function<std::optional<std::string>(const std::string& name)>;
base::Result<SmsAccounts> ResolveSmsAccounts(const SmsConfig& config, const GetEnvFn& getenv);

}  // namespace omnihub::sms
