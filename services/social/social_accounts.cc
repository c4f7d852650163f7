#include "services/social/social_accounts.h"

#include <algorithm>

namespace omnihub::social {
namespace {

// "social.meta.default" + "app_secret": the secret's value, or why there is none.
base::Result<std::string> Resolve(const std::string& table, std::string_view key, const SecretConfig& secret,
                                  const GetEnvFn& getenv, std::vector<std::string>* warnings) {
  const std::string where = table + "." + std::string(key);
  if (secret.env.empty()) {
    return base::Status::InvalidArgument(where + "_env is missing: name the environment variable that holds the " +
                                         std::string(key));
  }
  if (auto value = getenv(secret.env); value && !value->empty()) return *value;
  if (!secret.dev.empty()) {
    warnings->push_back(secret.env + " is not set: " + table + " uses the development " + std::string(key) +
                        " from the config; set the variable before taking real traffic");
    return secret.dev;
  }
  return base::Status::InvalidArgument("environment variable " + secret.env + " is not set (" + where +
                                       "); set it to the platform's " + std::string(key));
}

template <typename Account>
const Account* FindByName(const std::vector<Account>& accounts, std::string_view name) {
  auto it = std::find_if(accounts.begin(), accounts.end(), [&](const Account& a) { return a.name == name; });
  return it == accounts.end() ? nullptr : &*it;
}

}  // namespace

const MetaAccount* SocialAccounts::FindMeta(std::string_view name) const { return FindByName(meta, name); }
const TelegramAccount* SocialAccounts::FindTelegram(std::string_view name) const { return FindByName(telegram, name); }
const XAccount* SocialAccounts::FindX(std::string_view name) const { return FindByName(x, name); }

base::Result<SocialAccounts> ResolveSocialAccounts(const SocialConfig& config, const GetEnvFn& getenv) {
  SocialAccounts out;
  for (const auto& a : config.meta) {
    const std::string table = "social.meta." + a.name;
    auto secret = Resolve(table, "app_secret", a.app_secret, getenv, &out.warnings);
    if (!secret.ok()) return secret.status();
    auto token = Resolve(table, "verify_token", a.verify_token, getenv, &out.warnings);
    if (!token.ok()) return token.status();
    out.meta.push_back({a.name, std::move(*secret), std::move(*token)});
  }
  for (const auto& a : config.telegram) {
    auto secret = Resolve("social.telegram." + a.name, "secret_token", a.secret_token, getenv, &out.warnings);
    if (!secret.ok()) return secret.status();
    out.telegram.push_back({a.name, std::move(*secret)});
  }
  for (const auto& a : config.x) {
    auto secret = Resolve("social.x." + a.name, "consumer_secret", a.consumer_secret, getenv, &out.warnings);
    if (!secret.ok()) return secret.status();
    out.x.push_back({a.name, std::move(*secret)});
  }
  return out;
}

}  // namespace omnihub::social
