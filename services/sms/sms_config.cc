#include "services/sms/sms_config.h"

#include "common/config/secret_keys.h"
#include "common/config/table_reader.h"
#include "common/config/tenant_keys.h"

namespace omnihub::sms {
namespace {

// [sms.twilio.NAME] / [sms.vonage.NAME]: the accounts of one provider. A Twilio account
// needs its token; a Vonage account without a secret accepts unsigned requests.
void ReadAccounts(config::TableReader& sms, std::string_view provider, bool vonage,
                  std::vector<SmsAccountConfig>* out) {
  auto tables = sms.Tables(provider);
  if (tables.empty()) return;
  out->clear();
  for (auto& [name, r] : tables) {
    SmsAccountConfig a;
    a.name = name;
    config::ReadSecret(r, vonage ? "signature_secret" : "auth_token", !vonage, &a.secret);
    if (vonage) {
      r.String(
          "signature_method", &a.signature_method,
          [](const std::string& m) { return m == "md5hash" || m == "md5" || m == "sha1" || m == "sha256" || m == "sha512"; },
          "one of md5hash, md5, sha1, sha256, sha512");
    }
    config::ReadTenant(r, &a.tenant);
    r.CheckNoUnknownKeys();
    out->push_back(std::move(a));
  }
}

void Parse(config::TableReader& r, SmsConfig* m) {
  r.OptionalString("listen", &m->listen);
  r.String("public_base_url", &m->public_base_url);
  r.String("outbox_dir", &m->outbox_dir);
  r.Uint32("max_body_bytes", &m->max_body_bytes, 1024, 64u << 20);
  r.Uint32("signature_window_s", &m->signature_window_s, 1, 86400);
  r.Bool("access_log", &m->access_log);
  r.OptionalString("admin_listen", &m->admin_listen);
  ReadAccounts(r, "twilio", false, &m->twilio);
  ReadAccounts(r, "vonage", true, &m->vonage);
}

std::vector<config::PathKey> Paths(SmsConfig* m) { return {{"outbox_dir", &m->outbox_dir}}; }

}  // namespace

const config::Section& SmsConfigSection() {
  static const config::TypedSection<SmsConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::sms
