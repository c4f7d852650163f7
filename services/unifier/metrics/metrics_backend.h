// What the query side needs of the relationship metrics (docs/metrics.md): the report for a
// set of filters, and the headline figures the unifier's /metrics shows. The metrics
// themselves (metrics/) follow the change log on a thread of their own, so ingest never waits
// for them.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::unifier {

// The figures the unifier's /metrics exports as gauges (docs/metrics.md), over the episodes
// opened in the 30 days before the report's as_of. A figure with nothing to count is nullopt
// (the gauge is then not exported).
struct MetricsHeadline {
  std::optional<double> first_response_p50_s;
  std::optional<double> first_response_p90_s;
  std::optional<double> first_contact_resolution_share;
  std::optional<double> returning_share;
};

class MetricsBackend {
 public:
  virtual ~MetricsBackend() = default;

  // The report for `request` over the customers of `tenant` ("" or "default": the default
  // tenant's) (InvalidArgument naming the field for a bad `by` or an until before since).
  virtual base::Status Report(const v1::MetricsRequest& request, v1::MetricsResponse* out,
                              std::string_view tenant) = 0;
  virtual base::Result<MetricsHeadline> Headline() = 0;
  // Every change with change_seq <= this one is reflected in the metrics.
  virtual uint64_t applied_change_seq() const = 0;
  // Waits until applied_change_seq() >= `change_seq`; false after `timeout`.
  virtual bool WaitApplied(uint64_t change_seq, std::chrono::milliseconds timeout) = 0;
};

}  // namespace omnihub::unifier
