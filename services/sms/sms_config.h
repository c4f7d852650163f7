// The [sms] section of the shared config file: omnihub-sms's webhook listener, outbox and
// provider accounts ([sms.twilio.NAME], [sms.vonage.NAME]). Registered in
// services/sms/CMakeLists.txt, so every process that reads the file checks this section too
// (common/config/section.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/secret.h"
#include "common/config/section.h"

namespace omnihub::sms {

// One provider account of omnihub-sms: the {account} of its webhook URLs. Its secret comes
// from the environment or a file at start (common/config/secret.h): Twilio's
// auth_token_env / auth_token_file / dev_auth_token, Vonage's signature_secret_env /
// signature_secret_file / dev_signature_secret.
struct SmsAccountConfig {
  std::string name;
  config::SecretConfig secret;
  std::string signature_method = "md5hash";  // Vonage: md5hash, md5, sha1, sha256, sha512
  std::string tenant = "default";  // the tenant of the events received through the account
};

struct SmsConfig {
  static constexpr std::string_view kSection = "sms";

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

const config::Section& SmsConfigSection();

}  // namespace omnihub::sms
