// The [social] section of the shared config file: omnihub-social's webhook listener, outbox,
// limits and platform accounts ([social.meta.NAME], [social.telegram.NAME], [social.x.NAME]).
// Registered in services/social/CMakeLists.txt, so every process that reads the file checks
// this section too (common/config/section.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/secret.h"
#include "common/config/section.h"

namespace omnihub::social {

// Each secret below comes from the environment or a file at start (common/config/secret.h):
// <name>_env, <name>_file, or dev_<name> for development.
using config::SecretConfig;

// [social.meta.NAME]: one Meta app (Messenger pages, Instagram accounts and WhatsApp
// business accounts subscribed to it all post to /meta/NAME).
struct MetaAccountConfig {
  std::string name;
  SecretConfig app_secret;    // app_secret_{env,file} / dev_app_secret: X-Hub-Signature-256 key
  SecretConfig verify_token;  // verify_token_{env,file} / dev_verify_token: the GET handshake
  std::string tenant = "default";  // the tenant of the events received through the account
};

// [social.telegram.NAME]: one bot (POST /telegram/NAME).
struct TelegramAccountConfig {
  std::string name;
  SecretConfig secret_token;  // secret_token_{env,file} / dev_secret_token: setWebhook's secret_token
  std::string tenant = "default";  // the tenant of the events received through the account
};

// [social.x.NAME]: one X app's webhook (GET|POST /x/NAME).
struct XAccountConfig {
  std::string name;
  SecretConfig consumer_secret;  // consumer_secret_{env,file} / dev_consumer_secret: CRC and signature key
  std::string tenant = "default";  // the tenant of the events received through the account
};

struct SocialConfig {
  static constexpr std::string_view kSection = "social";

  std::string listen = "127.0.0.1:8082";  // "" = no HTTP listener
  std::string outbox_dir = "outbox/social";
  uint32_t max_body_bytes = 4 << 20;  // Meta batches many notifications in one request
  bool access_log = true;
  std::string admin_listen = "127.0.0.1:9104";  // /metrics, /healthz, /readyz; "" = off
  // A deleted message's text stays in the unifier's record only when this is true.
  bool keep_deleted_text = false;
  std::vector<MetaAccountConfig> meta;
  std::vector<TelegramAccountConfig> telegram;
  std::vector<XAccountConfig> x;
};

const config::Section& SocialConfigSection();

}  // namespace omnihub::social
