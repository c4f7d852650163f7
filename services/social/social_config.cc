#include "services/social/social_config.h"

#include "common/config/secret_keys.h"
#include "common/config/table_reader.h"
#include "common/config/tenant_keys.h"

namespace omnihub::social {
namespace {

// [social.PLATFORM.NAME]: the accounts of one platform; `read` takes each table's secrets,
// every one of which is required (social webhooks have no unsigned mode).
template <typename Account, typename ReadFn>
void ReadAccounts(config::TableReader& social, std::string_view platform, ReadFn read, std::vector<Account>* out) {
  auto tables = social.Tables(platform);
  if (tables.empty()) return;
  out->clear();
  for (auto& [name, r] : tables) {
    Account a;
    a.name = name;
    read(r, &a);
    config::ReadTenant(r, &a.tenant);
    r.CheckNoUnknownKeys();
    out->push_back(std::move(a));
  }
}

void Parse(config::TableReader& r, SocialConfig* m) {
  r.OptionalString("listen", &m->listen);
  r.String("outbox_dir", &m->outbox_dir);
  r.Uint32("max_body_bytes", &m->max_body_bytes, 1024, 64u << 20);
  r.Bool("access_log", &m->access_log);
  r.OptionalString("admin_listen", &m->admin_listen);
  r.Bool("keep_deleted_text", &m->keep_deleted_text);
  ReadAccounts(
      r, "meta",
      [](config::TableReader& t, MetaAccountConfig* a) {
        config::ReadSecret(t, "app_secret", true, &a->app_secret);
        config::ReadSecret(t, "verify_token", true, &a->verify_token);
      },
      &m->meta);
  ReadAccounts(
      r, "telegram",
      [](config::TableReader& t, TelegramAccountConfig* a) {
        config::ReadSecret(t, "secret_token", true, &a->secret_token);
      },
      &m->telegram);
  ReadAccounts(
      r, "x",
      [](config::TableReader& t, XAccountConfig* a) { config::ReadSecret(t, "consumer_secret", true, &a->consumer_secret); },
      &m->x);
}

std::vector<config::PathKey> Paths(SocialConfig* m) { return {{"outbox_dir", &m->outbox_dir}}; }

}  // namespace

const config::Section& SocialConfigSection() {
  static const config::TypedSection<SocialConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::social
