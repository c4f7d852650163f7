// The provider accounts omnihub-sms serves, with their secrets resolved
// (common/config/secret.h): from the environment variable or the file its config names; a
// development secret stands in with a warning while the variable is unset (the embedded
// default config has one, production configs should not). A Twilio account must end up with a token; a Vonage
// account without a signature secret accepts unsigned requests (Vonage signs only when
// signing is switched on in its dashboard), and says so in the log.
//
// Thread-safety: the resolved accounts are immutable values.
#pragma once

#include <functional>
#include <map>
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
  // "twilio/NAME" or "vonage/NAME" -> the account's tenant, for accounts of a tenant other
  // than the default one (kept apart from the accounts, which tests build as aggregates).
  std::map<std::string, std::string> tenants;

  // Event.tenant_id of the account's events: "" for the default tenant.
  std::string TenantOf(std::string_view provider, std::string_view name) const;

  const TwilioAccount* FindTwilio(std::string_view name) const;
  const VonageAccount* FindVonage(std::string_view name) const;
};

// Reads each account's secret through `getenv` (config::ProcessEnvironment() in production).
// InvalidArgument with one line per problem (a Twilio account without a token, an
// unreadable secret file), each naming the key and the variable or path, never a value.
using config::GetEnvFn;
base::Result<SmsAccounts> ResolveSmsAccounts(const SmsConfig& config, const GetEnvFn& getenv);

}  // namespace omnihub::sms
