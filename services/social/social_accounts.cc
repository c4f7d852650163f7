#include "services/social/social_accounts.h"

#include <algorithm>

#include "common/event/tenant_id.h"

namespace omnihub::social {
namespace {

template <typename Account>
const Account* FindByName(const std::vector<Account>& accounts, std::string_view name) {
  auto it = std::find_if(accounts.begin(), accounts.end(), [&](const Account& a) { return a.name == name; });
  return it == accounts.end() ? nullptr : &*it;
}

}  // namespace

const MetaAccount* SocialAccounts::FindMeta(std::string_view name) const { return FindByName(meta, name); }
const TelegramAccount* SocialAccounts::FindTelegram(std::string_view name) const { return FindByName(telegram, name); }
const XAccount* SocialAccounts::FindX(std::string_view name) const { return FindByName(x, name); }

std::string SocialAccounts::TenantOf(std::string_view platform, std::string_view name) const {
  auto it = tenants.find(std::string(platform) + "/" + std::string(name));
  return it == tenants.end() ? std::string() : it->second;
}

base::Result<SocialAccounts> ResolveSocialAccounts(const SocialConfig& config, const GetEnvFn& getenv) {
  SocialAccounts out;
  config::SecretResolver secrets(getenv);
  // Every social webhook is authenticated: each secret is required.
  for (const auto& a : config.meta) {
    out.meta.push_back({a.name, secrets.Get(a.app_secret, true), secrets.Get(a.verify_token, true)});
    if (!event::WireTenant(a.tenant).empty()) out.tenants["meta/" + a.name] = a.tenant;
  }
  for (const auto& a : config.telegram) {
    out.telegram.push_back({a.name, secrets.Get(a.secret_token, true)});
    if (!event::WireTenant(a.tenant).empty()) out.tenants["telegram/" + a.name] = a.tenant;
  }
  for (const auto& a : config.x) {
    out.x.push_back({a.name, secrets.Get(a.consumer_secret, true)});
    if (!event::WireTenant(a.tenant).empty()) out.tenants["x/" + a.name] = a.tenant;
  }
  OMNIHUB_RETURN_IF_ERROR(secrets.status());
  out.warnings = secrets.warnings();
  return out;
}

}  // namespace omnihub::social
