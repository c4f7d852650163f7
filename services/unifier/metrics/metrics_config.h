// The [metrics] section of the shared config file: the relationship metrics that
// omnihub-unifier keeps (docs/metrics.md): where their database lives, and the settings of the
// episode model. Registered in services/unifier/CMakeLists.txt (common/config/section.h).
//
// Thread-safety: a plain value, immutable after parsing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config/section.h"

namespace omnihub::unifier::metrics {

// [metrics] business_hours as written: the episode model parses it (business_hours.h).
struct BusinessHoursTable {
  std::string zone;                // IANA zone, "Europe/Budapest"
  std::array<std::string, 7> days;  // mon..sun: "HH:MM-HH:MM", or "" (closed)

  // What ParseBusinessHours (business_hours.h) reads: ("zone", zone), ("mon", ...), ...
  std::vector<std::pair<std::string, std::string>> Entries() const;
};

struct MetricsConfig {
  static constexpr std::string_view kSection = "metrics";

  bool enabled = true;         // false: the unifier keeps no metrics (reports answer Unavailable)
  std::string dir = "metrics";  // the metrics database; rebuilt from the store's change log if lost
  uint32_t quiet_hours = 24;    // a new episode needs this long without an inbound message (1..8760)
  uint32_t resolution_days = 7;  // an episode closes when no inbound follows a reply this long (1..365)
  // The weekly schedule first response times are counted in; none = wall time. Its ranges
  // and zone are checked by the episode model when the unifier starts (SettingsFromConfig).
  std::optional<BusinessHoursTable> business_hours;
};

const config::Section& MetricsConfigSection();

}  // namespace omnihub::unifier::metrics
