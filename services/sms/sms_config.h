// The [sms] section of the shared config file: omnihub-sms's webhook listener, outbox and
// provider accounts ([sms.twilio.NAME], [sms.vonage.NAME]). Registered in
// services/sms/CMakeLists.txt, so every process that reads the file checks this section too
// (common/config/section.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/section.h"

namespace omnihub::sms {

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
