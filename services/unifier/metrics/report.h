// Builds the relationship metrics report (docs/metrics.md "The report (JSON)") and the
// headline figures from stored episodes and customer summaries. The one place the report's
// JSON is made: omnihubctl, the API and the console all show what this returns.
//
// Thread-safety: no shared state; a source may be read by several reports at once if it allows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/metrics/episodes.h"
#include "services/unifier/metrics/metrics_backend.h"

namespace omnihub::unifier::metrics {

// Where a report reads its inputs: the metrics database (metrics_store.h), or a vector in tests.
class EpisodeSource {
 public:
  virtual ~EpisodeSource() = default;
  // Every episode with opened_at_us in [since_us, until_us), with its customer, in any order.
  virtual base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                                      const std::function<void(std::string_view customer_id, const Episode&)>& fn) = 0;
  // Every customer with at least one episode.
  virtual base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) = 0;
  // The customers among `customer_ids` (sorted, distinct) that have at least one episode, in
  // any order. The headline reads only the customers of its 30-day window this way, so that
  // a scrape costs what the window holds, not every customer stored; this default, for
  // sources without lookups, filters ForEachCustomer.
  virtual base::Status ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                         const std::function<void(const CustomerSummary&)>& fn);
  // The latest occurred_at of any counted message (docs/metrics.md "Reference time"); 0 when none.
  virtual int64_t as_of_us() const = 0;
  virtual uint64_t applied_change_seq() const = 0;
};

// InvalidArgument naming the field for a `by` it does not know or until <= since.
base::Status BuildReport(EpisodeSource& source, const v1::MetricsRequest& request, const EpisodeSettings& settings,
                         v1::MetricsResponse* out);

// Over the episodes opened in the 30 days before as_of (docs/metrics.md "Outputs").
base::Result<MetricsHeadline> BuildHeadline(EpisodeSource& source, const EpisodeSettings& settings);

}  // namespace omnihub::unifier::metrics
