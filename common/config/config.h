// The hub's configuration: one TOML file shared by every process, or the embedded
// default (ipc:// endpoints, data under var/ in the working directory) when none is
// given. Relative paths are under data_dir (docs/configuration.md). Every error names
// the key and its line ("config: bus.ingest (line 7): ...").
// Unknown keys and sections are errors too, so that a typo never silently falls back
// to a default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::config {

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  bool json = false;           // one JSON object per line instead of text
};

struct BusConfig {
  std::string ingest = "ipc://run/ingest.sock";    // unifier ROUTER, publishers DEALER
  std::string changes = "ipc://run/changes.sock";  // unifier PUB of committed changes
  std::string query = "ipc://run/query.sock";      // unifier ROUTER for queries
};

struct IdentityConfig {
  std::string default_region = "US";  // ISO 3166 region for numbers without +country
};

struct UnifierConfig {
  std::string db_dir = "unifier";
  uint32_t batch_max_events = 2000;  // upper bound of one committed WriteBatch
  uint32_t credit = 8192;            // frames a publisher may have in flight
  uint32_t page_max = 1000;          // largest timeline page served
  std::string admin_listen = "127.0.0.1:9101";  // /metrics, /healthz, /readyz; "" = off
};

struct PublisherConfig {
  uint32_t window = 4096;              // max unacknowledged frames in flight
  uint32_t resend_timeout_ms = 2000;   // resend from the last ack after this silence
};

struct InjectConfig {
  std::string outbox_dir = "outbox/inject";
};

struct EmailConfig {
  std::string smtp_listen = "127.0.0.1:2525";  // "" = no SMTP listener
  std::string lmtp_listen = "127.0.0.1:2424";  // "" = no LMTP listener
  std::string hostname = "localhost";          // in the greeting and EHLO reply
  std::vector<std::string> mailboxes;          // accepted full addresses
  std::vector<std::string> domains = {"example.com"};  // every address at these domains is accepted
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

// One provider account of omnihub-sms: the {account} of its webhook URLs. Its secret is
// read from the environment variable `secret_env` at start; `dev_secret` stands in (with a
// warning in the log) when the variable is unset, and is meant for development only.
struct SmsAccountConfig {
  std::string name;
  std::string secret_env;
  std::string dev_secret;
  std::string signature_method = "md5hash";  // Vonage: md5hash, md5, sha1, sha256, sha512
};

struct SmsConfig {
  std::string listen = "127.0.0.1:8081";              // "" = no HTTP listener
  std::string public_base_url = "http://127.0.0.1:8081";  // the URL providers call (signatures cover it)
  std::string outbox_dir = "outbox/sms";
  uint32_t max_body_bytes = 1 << 20;
  uint32_t signature_window_s = 300;  // Vonage: accepted age of a signed request's timestamp
  bool access_log = true;
  std::string admin_listen = "127.0.0.1:9103";  // /metrics, /healthz, /readyz; "" = off
  std::vector<SmsAccountConfig> twilio;  // [sms.twilio.NAME] tables
  std::vector<SmsAccountConfig> vonage;  // [sms.vonage.NAME] tables
};

struct Config {
  // Root of every relative path below (common/config/paths.h); relative to the working
  // directory itself. ParseConfig returns the paths resolved.
  std::string data_dir = "var";
  LogConfig log;
  BusConfig bus;
  IdentityConfig identity;
  UnifierConfig unifier;
  PublisherConfig publisher;
  InjectConfig inject;
  EmailConfig email;
  SmsConfig sms;
};

// The embedded default configuration, as TOML text (common/config/default_config.toml);
// deploy/omnihub.toml is the production-style variant.
std::string_view DefaultConfigToml();

// Parses TOML text. `origin` names the source in error messages (a path or "<default>").
base::Result<Config> ParseConfig(std::string_view toml_text, std::string_view origin);

// Loads `path`; an empty path means: $OMNIHUB_CONFIG if set, else the embedded default.
base::Result<Config> LoadConfig(const std::string& path);

// Creates the parent directory of an ipc:// endpoint's socket file (no-op otherwise).
base::Status PrepareEndpoint(const std::string& endpoint);

}  // namespace omnihub::config
