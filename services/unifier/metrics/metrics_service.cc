#include "services/unifier/metrics/metrics_service.h"

#include "common/event/tenant_id.h"
#include "services/unifier/metrics/tenant_episodes.h"

#include <algorithm>

#include "services/unifier/metrics/business_hours.h"
#include "services/unifier/metrics/report.h"

namespace omnihub::unifier::metrics {

size_t StretchAfter(size_t size, uint64_t applied, const MetricsServiceOptions& options) {
  const size_t most = std::max(options.changes_per_stretch, options.max_changes_per_stretch);
  return applied >= size ? std::min(size * 2, most) : options.changes_per_stretch;
}

base::Result<EpisodeSettings> SettingsFromConfig(const MetricsConfig& config) {
  EpisodeSettings settings;
  settings.quiet_us = int64_t{config.quiet_hours} * 3600 * 1000000;
  settings.resolution_us = int64_t{config.resolution_days} * 24 * 3600 * 1000000;
  if (config.business_hours.has_value()) {
    // The model's parser checks the zone and the ranges and names metrics.business_hours.<key>.
    auto hours = ParseBusinessHours(config.business_hours->Entries());
    if (!hours.ok()) return hours.status();
    settings.business_hours = std::move(*hours);
  }
  return settings;
}

base::Result<std::unique_ptr<MetricsService>> MetricsService::Open(Store& store, MetricsServiceOptions options) {
  auto counters = store.ReadCounters();
  if (!counters.ok()) return counters.status();
  auto db = MetricsStore::Open(options.dir, options.settings, counters->last_change_seq);
  if (!db.ok()) return db.status();
  return std::unique_ptr<MetricsService>(new MetricsService(store, std::move(options), std::move(*db)));
}

MetricsService::MetricsService(Store& store, MetricsServiceOptions options, std::unique_ptr<MetricsStore> db)
    : store_(store),
      options_(std::move(options)),
      db_(std::move(db)),
      consumer_(store, *db_, options_.settings),
      stretch_(options_.changes_per_stretch),
      follower_({"relationship metrics consumer", options_.poll_interval, std::chrono::seconds(1),
                 options_.consumer_nice_increment},
                [this]() -> base::Result<uint64_t> {
                  const uint64_t before = db_->applied_change_seq();
                  auto applied = consumer_.ApplyNext(stretch_);
                  if (applied.ok()) stretch_ = StretchAfter(stretch_, *applied - before, options_);
                  return applied;
                },
                db_->applied_change_seq()) {}

MetricsService::~MetricsService() { Stop(); }

base::Status MetricsService::Report(const v1::MetricsRequest& request, v1::MetricsResponse* out,
                                   std::string_view tenant) {
  auto view = db_->Snapshot();
  if (!view.ok()) return view.status();
  // Customers keep their tenant for life (merges stay within one), so the latest record says.
  TenantEpisodes episodes(**view, [this, wire = event::WireTenant(event::TenantOrDefault(tenant))](
                                      const std::string& customer_id) -> base::Result<bool> {
    auto record = store_.GetCustomer(customer_id);
    if (!record.ok()) return record.status();
    return record->has_value() && (*record)->tenant_id() == wire;
  });
  return BuildReport(episodes, request, options_.settings, out);
}

base::Result<MetricsHeadline> MetricsService::Headline() {
  auto view = db_->Snapshot();
  if (!view.ok()) return view.status();
  const uint64_t applied = (*view)->applied_change_seq();
  std::lock_guard lock(headline_mu_);
  if (headline_.has_value() && headline_->first == applied) return headline_->second;
  auto headline = BuildHeadline(**view, options_.settings);
  if (headline.ok()) headline_.emplace(applied, *headline);
  return headline;
}

}  // namespace omnihub::unifier::metrics
