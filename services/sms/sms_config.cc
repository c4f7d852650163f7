#include "services/sms/sms_config.h"

#include "common/config/table_reader.h"

namespace omnihub::sms {
namespace {

// [sms.twilio.NAME] / [sms.vonage.NAME]: the accounts of one provider.
base::Status ReadAccounts(config::TableReader& sms, std::string_view provider, bool vonage,
                          std::vector<SmsAccountConfig>* out) {
  auto tables = sms.Tables(provider);
  if (!tables.ok()) return tables.status();
  if (tables->empty()) return base::Status::Ok();
  out->clear();
  for (auto& [name, r] : *tables) {
    SmsAccountConfig a;
    a.name = name;
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString(vonage ? "signature_secret_env" : "auth_token_env", &a.secret_env));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString(vonage ? "dev_signature_secret" : "dev_auth_token", &a.dev_secret));
    if (vonage) {
      OMNIHUB_RETURN_IF_ERROR(r.String(
          "signature_method", &a.signature_method,
          [](const std::string& m) { return m == "md5hash" || m == "md5" || m == "sha1" || m == "sha256" || m == "sha512"; },
          "one of md5hash, md5, sha1, sha256, sha512"));
    }
    OMNIHUB_RETURN_IF_ERROR(r.CheckNoUnknownKeys());
    out->push_back(std::move(a));
  }
  return base::Status::Ok();
}

base::Status Parse(config::TableReader& r, SmsConfig* m) {
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("listen", &m->listen));
  OMNIHUB_RETURN_IF_ERROR(r.String("public_base_url", &m->public_base_url));
  OMNIHUB_RETURN_IF_ERROR(r.String("outbox_dir", &m->outbox_dir));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_body_bytes", &m->max_body_bytes, 1024, 64u << 20));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("signature_window_s", &m->signature_window_s, 1, 86400));
  OMNIHUB_RETURN_IF_ERROR(r.Bool("access_log", &m->access_log));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &m->admin_listen));
  OMNIHUB_RETURN_IF_ERROR(ReadAccounts(r, "twilio", false, &m->twilio));
  return ReadAccounts(r, "vonage", true, &m->vonage);
}

std::vector<config::PathKey> Paths(SmsConfig* m) { return {{"outbox_dir", &m->outbox_dir}}; }

}  // namespace

const config::Section& SmsConfigSection() {
  static const config::TypedSection<SmsConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::sms
