// A service section for the tests of common/config, standing in for the real ones
// (services/<svc>/<svc>_config.h), which have their tests next to their service.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "common/config/section.h"
#include "common/config/table_reader.h"

namespace omnihub::config {

struct DemoConfig {
  static constexpr std::string_view kSection = "demo";
  std::string dir = "demo";  // a path under data_dir
  uint32_t count = 3;
};

inline void ParseDemo(TableReader& r, DemoConfig* d) {
  r.String("dir", &d->dir);
  r.Uint32("count", &d->count, 1, 10);
}

inline std::vector<PathKey> DemoPaths(DemoConfig* d) { return {{"dir", &d->dir}}; }

inline const Section& DemoSection() {
  static const TypedSection<DemoConfig> section(ParseDemo, DemoPaths);
  return section;
}

// ParseConfig with the demo section as the only service section.
inline base::Result<Config> ParseWithDemo(std::string_view toml, std::string_view origin) {
  static const Section* const kSections[] = {&DemoSection()};
  return ParseConfig(toml, origin, kSections);
}

}  // namespace omnihub::config
