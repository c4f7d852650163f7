#include "services/sms/sms_accounts.h"

#include "common/event/tenant_id.h"

namespace omnihub::sms {
namespace {

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

std::string SmsAccounts::TenantOf(std::string_view provider, std::string_view name) const {
  auto it = tenants.find(std::string(provider) + "/" + std::string(name));
  return it == tenants.end() ? std::string() : it->second;
}

base::Result<SmsAccounts> ResolveSmsAccounts(const SmsConfig& config, const GetEnvFn& getenv) {
  SmsAccounts out;
  config::SecretResolver secrets(getenv);
  for (const auto& a : config.twilio) out.twilio.push_back({a.name, secrets.Get(a.secret, /*required=*/true)});
  base::Status methods = base::Status::Ok();
  for (const auto& a : config.vonage) {
    auto method = ParseVonageSignatureMethod(a.signature_method);
    if (!method.ok()) {
      methods = method.status().WithContext("sms.vonage." + a.name + ".signature_method");
      continue;
    }
    VonageAccount v{a.name, secrets.Get(a.secret, /*required=*/false), *method};
    if (v.signature_secret.empty()) {
      secrets.Warn("vonage account '" + a.name + "' has no signature secret" +
                   (a.secret.env.empty() ? std::string() : " ($" + a.secret.env + " is not set)") +
                   ": its webhooks are accepted unsigned");
    }
    out.vonage.push_back(std::move(v));
  }
  for (const auto* list : {&config.twilio, &config.vonage}) {
    for (const auto& a : *list) {
      if (!event::WireTenant(a.tenant).empty()) out.tenants[(list == &config.twilio ? "twilio/" : "vonage/") + a.name] = a.tenant;
    }
  }
  OMNIHUB_RETURN_IF_ERROR(methods);  // the config's parser lets only known methods through
  OMNIHUB_RETURN_IF_ERROR(secrets.status());
  out.warnings = secrets.warnings();
  return out;
}

}  // namespace omnihub::sms
