#include "services/email/email_config.h"

#include "common/config/table_reader.h"

namespace omnihub::email {
namespace {

base::Status Parse(config::TableReader& r, EmailConfig* e) {
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("smtp_listen", &e->smtp_listen));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("lmtp_listen", &e->lmtp_listen));
  OMNIHUB_RETURN_IF_ERROR(r.String("hostname", &e->hostname));
  OMNIHUB_RETURN_IF_ERROR(r.StringList("mailboxes", &e->mailboxes));
  OMNIHUB_RETURN_IF_ERROR(r.StringList("domains", &e->domains));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_message_bytes", &e->max_message_bytes, 1024, 1u << 30));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_attachment_bytes", &e->max_attachment_bytes, 0, 1u << 30));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_recipients", &e->max_recipients, 1, 10000));
  OMNIHUB_RETURN_IF_ERROR(r.Uint32("idle_timeout_s", &e->idle_timeout_s, 1, 86400));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("tls_certificate", &e->tls_certificate));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("tls_private_key", &e->tls_private_key));
  OMNIHUB_RETURN_IF_ERROR(r.String("outbox_dir", &e->outbox_dir));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("maildir", &e->maildir));
  OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &e->admin_listen));
  return r.Uint32("maildir_poll_ms", &e->maildir_poll_ms, 10, 3600000);
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
