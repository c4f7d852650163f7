#include "services/sms/sms_accounts.h"

namespace omnihub::sms {
namespace {

// The secret of one account, or "" when neither the variable nor a development secret is set.
std::string ResolveSecret(const SmsAccountConfig& a, std::string_view provider, const GetEnvFn& getenv,
                          std::vector<std::string>* warnings) {
  if (!a.secret_env.empty()) {
    if (auto v = getenv(a.secret_env); v && !v->empty()) return *v;
  }
  if (!a.dev_secret.empty()) {
    warnings->push_back(std::string(provider) + " account '" + a.name + "' uses the development secret" +
                        (a.secret_env.empty() ? std::string() : " because $" + a.secret_env + " is not set") +
                        ": do not expose this listener to the internet");
    return a.dev_secret;
  }
  return "";
}

template <typename Account>
const Account* FindByName(const std::vector<Account>& accounts, std::string_view name) {
  for (const auto& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace

const TwilioAccount* SmsAccounts::FindTwilio(std::string_view name) const { return FindByName(twilio, name); }
const VonageAccount* SmsAccounts::FindVonage(std::string_view name) const { return FindByName(vonage, name); }

base::Result<SmsAccounts> ResolveSmsAccounts(const SmsConfig& config, const GetEnvFn& getenv) {
  SmsAccounts out;
  for (const auto& a : config.twilio) {
    TwilioAccount t{a.name, ResolveSecret(a, "twilio", getenv, &out.warnings)};
    if (t.auth_token.empty()) {
      return base::Status::InvalidArgument("sms.twilio." + a.name + ": no auth token: set $" +
                                     (a.secret_env.empty() ? std::string("<auth_token_env>") : a.secret_env) +
                                     " (Twilio signs every webhook with it)");
    }
    out.twilio.push_back(std::move(t));
  }
  for (const auto& a : config.vonage) {
    auto method = ParseVonageSignatureMethod(a.signature_method);
    if (!method.ok()) return method.status().WithContext("sms.vonage." + a.name + ".signature_method");
    VonageAccount v{a.name, ResolveSecret(a, "vonage", getenv, &out.warnings), *method};
    if (v.signature_secret.empty()) {
      out.warnings.push_back("vonage account '" + a.name + "' has no signature secret" +
                             (a.secret_env.empty() ? std::string() : " ($" + a.secret_env + " is not set)") +
                             ": its webhooks are accepted unsigned");
    }
    out.vonage.push_back(std::move(v));
  }
  return out;
}

}  // namespace omnihub::sms
