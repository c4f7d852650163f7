// The [metrics] section of the shared config file: the relationship metrics that
// omnihub-unifier keeps (docs/metrics.md): where their database lives, and the settings of the
// episode model. Registered in services/unifier/CMakeLists.txt (common/config/section.h).
//
// Thread-safety: a plain value, immutable after parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/config/section.h"
#include "services/unifier/metrics/business_hours.h"

namespace omnihub::unifier::metrics {

struct MetricsConfig {
  static constexpr std::string_view kSection = "metrics";

  bool enabled = true;         // false: the unifier keeps no metrics (reports answer Unavailable)
  std::string dir = "metrics";  // the metrics database; rebuilt from the store's change log if lost
  uint32_t quiet_hours = 24;    // a new episode needs this long without an inbound message (1..8760)
  uint32_t resolution_days = 7;  // an episode closes when no inbound follows a reply this long (1..365)
  // The weekly schedule first response times are counted in; none = wall time. The table as
  // written (zone and mon..sun); its ranges are checked by the episode model
  // (business_hours.h) when the unifier starts.
  std::optional<BusinessHours> business_hours;
};

const config::Section& MetricsConfigSection();

}  // namespace omnihub::unifier::metrics
