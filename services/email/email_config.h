// The [email] section of the shared config file: omnihub-email's listeners, limits,
// outbox and Maildir import. Registered in services/email/CMakeLists.txt, so every process
// that reads the file checks this section too (common/config/section.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/section.h"

namespace omnihub::email {

struct EmailConfig {
  static constexpr std::string_view kSection = "email";

  std::string smtp_listen = "127.0.0.1:2525";  // "" = no SMTP listener
  std::string lmtp_listen = "127.0.0.1:2424";  // "" = no LMTP listener
  std::string hostname = "localhost";          // in the greeting and EHLO reply
  std::vector<std::string> mailboxes;          // accepted full addresses
  std::vector<std::string> domains = {"example.com"};  // every address at these domains is accepted
  // Mailbox or domain (as configured) -> its tenant, for the entries of mailboxes and domains
  // written as { address|domain = "...", tenant = "..." } with a tenant other than "default".
  std::map<std::string, std::string> tenants;
  uint32_t max_message_bytes = 25 << 20;
  uint32_t max_attachment_bytes = 25 << 20;    // larger attachments: metadata only
  uint32_t max_recipients = 100;
  uint32_t idle_timeout_s = 300;
  std::string tls_certificate;                 // PEM; with tls_private_key enables STARTTLS
  std::string tls_private_key;
  std::string outbox_dir = "outbox/email";
  std::string maildir;                         // "" = no Maildir import
  uint32_t maildir_poll_ms = 1000;
  std::string admin_listen = "127.0.0.1:9102";  // /metrics, /healthz, /readyz; "" = off
};

const config::Section& EmailConfigSection();

}  // namespace omnihub::email
