#include "services/email/email_config.h"

#include "common/config/table_reader.h"
#include "common/config/tenant_keys.h"

namespace omnihub::email {
namespace {

void Parse(config::TableReader& r, EmailConfig* e) {
  r.OptionalString("smtp_listen", &e->smtp_listen);
  r.OptionalString("lmtp_listen", &e->lmtp_listen);
  r.String("hostname", &e->hostname);
  // Each entry may name its tenant; the two lists share one map (a domain has no '@').
  std::map<std::string, std::string> mailbox_tenants = e->tenants;
  config::ReadTenantList(r, "mailboxes", "address", &e->mailboxes, &mailbox_tenants);
  std::map<std::string, std::string> domain_tenants;
  config::ReadTenantList(r, "domains", "domain", &e->domains, &domain_tenants);
  mailbox_tenants.merge(domain_tenants);
  e->tenants = std::move(mailbox_tenants);
  r.Uint32("max_message_bytes", &e->max_message_bytes, 1024, 1u << 30);
  r.Uint32("max_attachment_bytes", &e->max_attachment_bytes, 0, 1u << 30);
  r.Uint32("max_recipients", &e->max_recipients, 1, 10000);
  r.Uint32("idle_timeout_s", &e->idle_timeout_s, 1, 86400);
  r.OptionalString("tls_certificate", &e->tls_certificate);
  r.OptionalString("tls_private_key", &e->tls_private_key);
  // STARTTLS needs the pair; one without the other would fail only when the listener starts.
  if (e->tls_certificate.empty() != e->tls_private_key.empty()) {
    const bool key_missing = e->tls_private_key.empty();
    r.Fail(key_missing ? "tls_certificate" : "tls_private_key",
           std::string("is set but ") + (key_missing ? "tls_private_key" : "tls_certificate") +
               " is not: STARTTLS needs both files (or neither)");
  }
  r.String("outbox_dir", &e->outbox_dir);
  r.OptionalString("maildir", &e->maildir);
  r.OptionalString("admin_listen", &e->admin_listen);
  r.Uint32("maildir_poll_ms", &e->maildir_poll_ms, 10, 3600000);
}

std::vector<config::PathKey> Paths(EmailConfig* e) {
  return {{"outbox_dir", &e->outbox_dir},
          {"maildir", &e->maildir},
          {"tls_certificate", &e->tls_certificate},
          {"tls_private_key", &e->tls_private_key}};
}

}  // namespace

const config::Section& EmailConfigSection() {
  static const config::TypedSection<EmailConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::email
