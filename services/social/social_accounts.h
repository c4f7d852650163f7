// The platform accounts omnihub-social serves, with their secrets resolved
// (common/config/secret.h): from the environment variable or the file its config names; a
// development value stands in with a warning while the variable is unset (only the embedded
// default config has one). A secret that ends up empty stops the service with a message
// naming the key and the variable: every social webhook is authenticated, there is no
// unsigned mode.
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
#include "services/social/social_config.h"

namespace omnihub::social {

struct MetaAccount {
  std::string name;
  std::string app_secret;
  std::string verify_token;
};

struct TelegramAccount {
  std::string name;
  std::string secret_token;
};

struct XAccount {
  std::string name;
  std::string consumer_secret;
};

struct SocialAccounts {
  std::vector<MetaAccount> meta;
  std::vector<TelegramAccount> telegram;
  std::vector<XAccount> x;
  std::vector<std::string> warnings;  // for the log: development secrets in use
  // "meta/NAME", "telegram/NAME" or "x/NAME" -> the account's tenant, for accounts of a tenant
  // other than the default one (kept apart from the accounts, which tests build as aggregates).
  std::map<std::string, std::string> tenants;

  // Event.tenant_id of the account's events: "" for the default tenant.
  std::string TenantOf(std::string_view platform, std::string_view name) const;

  const MetaAccount* FindMeta(std::string_view name) const;
  const TelegramAccount* FindTelegram(std::string_view name) const;
  const XAccount* FindX(std::string_view name) const;
};

// Reads each secret through `getenv` (config::ProcessEnvironment() in production).
// InvalidArgument with one line per missing or unreadable secret, naming the key and the
// variable or path, never a value.
using config::GetEnvFn;
base::Result<SocialAccounts> ResolveSocialAccounts(const SocialConfig& config, const GetEnvFn& getenv);

}  // namespace omnihub::social
