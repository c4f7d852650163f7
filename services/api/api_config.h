// The [api] section of the shared config file: omnihub-api's listener, its outbox (ingested
// events, notes and agent commands), its token store and its limits. Registered in
// services/api/CMakeLists.txt, so every process that reads the file checks this section too
// (common/config/section.h). docs/api.md and docs/configuration.md describe the keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/section.h"

namespace omnihub::api {

struct ApiConfig {
  static constexpr std::string_view kSection = "api";

  std::string listen = "127.0.0.1:8080";           // "" = no listener (the service refuses to start)
  std::string public_url = "http://127.0.0.1:8080";  // how agents reach the console (login links)
  std::string outbox_dir = "outbox/api";
  std::string token_dir = "api/tokens";            // token hashes, login codes, the session key
  std::string admin_listen = "127.0.0.1:9105";     // /metrics, /healthz, /readyz; "" = off
  uint32_t max_body_bytes = 4u << 20;              // POST /events batches, notes
  uint32_t worker_threads = 64;                    // requests waiting for the hub or a disk sync at once
  uint32_t rate_limit_per_s = 50;                  // per token, refilled continuously
  uint32_t rate_limit_burst = 200;                 // per token, requests allowed at once
  uint32_t sse_heartbeat_s = 15;                   // comment line on idle live streams
  uint32_t sse_replay_max = 100000;                // changes a reconnect may catch up; older: reset
  uint32_t session_ttl_s = 12 * 3600;              // console session cookie lifetime
  uint32_t login_code_ttl_s = 900;                 // one-time login links
  bool access_log = true;
};

const config::Section& ApiConfigSection();

}  // namespace omnihub::api
