#include "services/unifier/metrics/metrics_config.h"

#include <array>

#include "common/config/table_reader.h"

namespace omnihub::unifier::metrics {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

void ParseBusinessHours(config::TableReader& r, MetricsConfig* m) {
  const toml::table* table = r.Table("business_hours");
  if (table == nullptr) return;
  config::TableReader hours(*table, r.prefix() + ".business_hours", r.errors());
  BusinessHoursTable parsed;
  if (!hours.String("zone", &parsed.zone)) {
    if (!hours.Has("zone")) hours.Fail("", "needs a zone (an IANA time zone such as \"Europe/Budapest\")");
  }
  for (size_t d = 0; d < kDays.size(); ++d) hours.OptionalString(kDays[d], &parsed.days[d]);
  hours.CheckNoUnknownKeys();
  m->business_hours = std::move(parsed);
}

void Parse(config::TableReader& r, MetricsConfig* m) {
  r.Bool("enabled", &m->enabled);
  r.String("dir", &m->dir);
  r.Uint32("quiet_hours", &m->quiet_hours, 1, 8760);
  r.Uint32("resolution_days", &m->resolution_days, 1, 365);
  ParseBusinessHours(r, m);
}

std::vector<config::PathKey> Paths(MetricsConfig* m) { return {{"dir", &m->dir}}; }

}  // namespace

const config::Section& MetricsConfigSection() {
  static const config::TypedSection<MetricsConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::unifier::metrics
