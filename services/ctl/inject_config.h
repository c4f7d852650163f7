// The [inject] section of the shared config file: the outbox of `omnihubctl inject` (and,
// with "-replay" appended, of `omnihubctl deadletter replay`). Registered in
// services/ctl/CMakeLists.txt, so every process that reads the file checks this section too
// (common/config/section.h).
#pragma once

#include <string>
#include <string_view>

#include "common/config/section.h"

namespace omnihub::ctl {

struct InjectConfig {
  static constexpr std::string_view kSection = "inject";

  std::string outbox_dir = "outbox/inject";
};

const config::Section& InjectConfigSection();

}  // namespace omnihub::ctl
