// The relationship metrics inside omnihub-unifier (docs/metrics.md): the metrics database
// (metrics_store.h), the consumer that keeps it up with the store's change log on a thread of
// its own at a lower priority (metrics_consumer.h, ChangeLogFollower), and the MetricsBackend
// the query service answers reports and the gauges' headline from.
//
// Lifecycle: Open (opens or rebuilds the database), Start (the consumer thread), Stop (joins
// it; everything applied is committed). Without Start, CatchUp applies the log on the calling
// thread (tests, the benchmark). Stop before the Store closes.
//
// Thread-safety: MetricsBackend methods from any thread; each report reads one snapshot of
// the database, so it never sees half a stretch.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "services/unifier/metrics/episodes.h"
#include "services/unifier/metrics/metrics_backend.h"
#include "services/unifier/metrics/metrics_config.h"
#include "services/unifier/metrics/metrics_consumer.h"
#include "services/unifier/metrics/metrics_store.h"
#include "services/unifier/store/change_log_follower.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::metrics {

struct MetricsServiceOptions {
  std::string dir;  // [metrics] dir
  EpisodeSettings settings;
  // Changes applied per stretch (one recompute of each touched customer, one WriteBatch).
  size_t changes_per_stretch = 2000;
  // While the consumer lags (a stretch took all it could), each next stretch takes twice as
  // many changes, up to this: a customer written to again and again during a burst is
  // recomputed and written once per stretch, so longer stretches write less per change.
  // Back to changes_per_stretch once a stretch finds fewer. Not below changes_per_stretch.
  size_t max_changes_per_stretch = 16000;
  std::chrono::milliseconds poll_interval{20};
  // Like the search indexer's (ChangeLogFollowerOptions): ingest keeps the CPU in a burst.
  int consumer_nice_increment = 10;
};

// The size of the stretch after one that applied `applied` changes of the `size` it could:
// doubled (up to the options' maximum) when it was full, the options' base size otherwise.
size_t StretchAfter(size_t size, uint64_t applied, const MetricsServiceOptions& options);

// The episode settings of a [metrics] section. The business_hours table is handed to the
// model as written (business_hours.h); InvalidArgument naming the key when it cannot be used.
base::Result<EpisodeSettings> SettingsFromConfig(const MetricsConfig& config);

class MetricsService final : public MetricsBackend {
 public:
  // `store` must outlive the service.
  static base::Result<std::unique_ptr<MetricsService>> Open(Store& store, MetricsServiceOptions options);
  ~MetricsService() override;
  MetricsService(const MetricsService&) = delete;
  MetricsService& operator=(const MetricsService&) = delete;

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }
  base::Result<uint64_t> CatchUp() { return follower_.CatchUp(); }

  MetricsStore& database() { return *db_; }
  const EpisodeSettings& settings() const { return options_.settings; }

  base::Status Report(const v1::MetricsRequest& request, v1::MetricsResponse* out, std::string_view tenant) override;
  base::Result<MetricsHeadline> Headline() override;
  uint64_t applied_change_seq() const override { return follower_.applied(); }
  bool WaitApplied(uint64_t change_seq, std::chrono::milliseconds timeout) override {
    return follower_.WaitApplied(change_seq, timeout);
  }

 private:
  MetricsService(Store& store, MetricsServiceOptions options, std::unique_ptr<MetricsStore> db);

  Store& store_;  // whose customers are a tenant's (Report)
  const MetricsServiceOptions options_;
  std::unique_ptr<MetricsStore> db_;
  // The last headline and the applied sequence it was built at: a scrape asks for it once per
  // gauge, and the figures only change when a stretch commits.
  std::mutex headline_mu_;
  std::optional<std::pair<uint64_t, MetricsHeadline>> headline_;
  MetricsConsumer consumer_;
  // The next stretch's size (StretchAfter); used by the follower's thread, or CatchUp's caller.
  size_t stretch_;
  ChangeLogFollower follower_;  // last: its thread uses the members above
};

}  // namespace omnihub::unifier::metrics
