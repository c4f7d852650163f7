#include "services/unifier/metrics/metrics_config.h"

#include "common/config/table_reader.h"
#include "services/unifier/metrics/business_hours.h"

namespace omnihub::unifier::metrics {
namespace {

void ReadBusinessHours(config::TableReader& r, MetricsConfig* m) {
  const toml::table* table = r.Table("business_hours");
  if (table == nullptr) return;
  config::TableReader hours(*table, r.prefix() + ".business_hours", r.errors());
  BusinessHoursTable parsed;
  if (!hours.String("zone", &parsed.zone)) {
    if (!hours.Has("zone")) hours.Fail("", "needs a zone (an IANA time zone such as \"Europe/Budapest\")");
  }
  for (size_t d = 0; d < parsed.days.size(); ++d) hours.OptionalString(DayKey(static_cast<int>(d)), &parsed.days[d]);
  hours.CheckNoUnknownKeys();
  // The episode model's own parser checks the zone and each range, so that --check-config
  // reports what the unifier would refuse at start.
  if (!parsed.zone.empty()) {
    if (auto checked = ParseBusinessHours(parsed.Entries()); !checked.ok()) hours.Fail("", checked.status().message());
  }
  m->business_hours = std::move(parsed);
}

void Parse(config::TableReader& r, MetricsConfig* m) {
  r.Bool("enabled", &m->enabled);
  r.String("dir", &m->dir);
  r.Uint32("quiet_hours", &m->quiet_hours, 1, 8760);
  r.Uint32("resolution_days", &m->resolution_days, 1, 365);
  ReadBusinessHours(r, m);
}

std::vector<config::PathKey> Paths(MetricsConfig* m) { return {{"dir", &m->dir}}; }

}  // namespace

std::vector<std::pair<std::string, std::string>> BusinessHoursTable::Entries() const {
  std::vector<std::pair<std::string, std::string>> entries = {{"zone", zone}};
  for (size_t d = 0; d < days.size(); ++d) entries.emplace_back(std::string(DayKey(static_cast<int>(d))), days[d]);
  return entries;
}

const config::Section& MetricsConfigSection() {
  static const config::TypedSection<MetricsConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::unifier::metrics
