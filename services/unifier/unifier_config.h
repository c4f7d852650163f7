// The [unifier] section of the shared config file: omnihub-unifier's store, batching,
// flow control and admin listener. Registered in services/unifier/CMakeLists.txt, so every
// process that reads the file checks this section too (common/config/section.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/section.h"

namespace omnihub::unifier {

struct UnifierConfig {
  static constexpr std::string_view kSection = "unifier";

  std::string db_dir = "unifier";
  std::string search_dir = "search";  // the full-text index (docs/search.md); rebuilt from db_dir if lost
  uint32_t batch_max_events = 2000;  // upper bound of one committed WriteBatch
  uint32_t credit = 8192;            // frames a publisher may have in flight
  uint32_t page_max = 1000;          // largest timeline page served
  std::string admin_listen = "127.0.0.1:9101";  // /metrics, /healthz, /readyz; "" = off
};

const config::Section& UnifierConfigSection();

}  // namespace omnihub::unifier
