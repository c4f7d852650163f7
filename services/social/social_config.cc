#include "services/social/social_config.h"

#include "common/config/table_reader.h"

namespace omnihub::social {
namespace {

base::Status ReadSecret(config::TableReader& r, std::string_view name, SecretConfig* out) {
  OMNIHUB_RETURN_IF_ERROR(r.String(std::string(name) + "_env", &out->env));
  return r.OptionalString("dev_" + std::string(name), &out->dev);
}

// [social.PLATFORM.NAME]: the accounts of one platform; `read` takes each table's secrets.
template <typename Account, typename ReadFn>
base::Status ReadAccounts(config::TableReader& social, std::string_view platform, ReadFn read,
                          std::vector<Account>* out) {
  auto tables = social.Tables(platform);
  if (!tables.ok()) return tables.status();
  if (tables->empty()) return base::Status::Ok();
  out->clear();
  for (auto& [name, r] : *tables) {
    Account a;
    a.name = name;
    OMNIHUB_RETURN_IF_ERROR(read(r, &a));
    OMNIHUB_RETURN_IF_ERROR(r.CheckNoUnknownKeys());
    out->push_back(std::move(a));
  }
  return base::Status::Ok();
}

base::Status Parse(config::TableReader& r, SocialConfig* m) {
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("listen", &m->listen));
  OMNIHUB_RETURN_IF_ERROR(r.String("outbox_dir", &m->outbox_dir));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_body_bytes", &m->max_body_bytes, 1024, 64u << 20));
  OMNIHUB_RETURN_IF_ERROR(r.Bool("access_log", &m->access_log));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &m->admin_listen));
  OMNIHUB_RETURN_IF_ERROR(r.Bool("keep_deleted_text", &m->keep_deleted_text));
  OMNIHUB_RETURN_IF_ERROR(ReadAccounts(
      r, "meta",
      [](config::TableReader& t, MetaAccountConfig* a) {
        OMNIHUB_RETURN_IF_ERROR(ReadSecret(t, "app_secret", &a->app_secret));
        return ReadSecret(t, "verify_token", &a->verify_token);
      },
      &m->meta));
  OMNIHUB_RETURN_IF_ERROR(ReadAccounts(
      r, "telegram",
      [](config::TableReader& t, TelegramAccountConfig* a) { return ReadSecret(t, "secret_token", &a->secret_token); },
      &m->telegram));
  return ReadAccounts(
      r, "x",
      [](config::TableReader& t, XAccountConfig* a) { return ReadSecret(t, "consumer_secret", &a->consumer_secret); },
      &m->x);
}

std::vector<config::PathKey> Paths(SocialConfig* m) { return {{"outbox_dir", &m->outbox_dir}}; }

}  // namespace

const config::Section& SocialConfigSection() {
  static const config::TypedSection<SocialConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::social
