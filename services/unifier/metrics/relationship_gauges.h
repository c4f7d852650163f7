// The relationship metrics' gauges on the unifier's /metrics (docs/metrics.md "Gauges"): the
// headline figures over the episodes opened in the 30 days before the report's as_of, the
// change-log sequence the metrics reflect and how far they are behind the store. Computed when
// scraped; a figure with nothing to count is left out.
//
// Thread-safety: the callbacks call the thread-safe MetricsBackend and Store.
#pragma once

#include "common/service/metrics.h"
#include "services/unifier/metrics/metrics_backend.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// `store` and `backend` must outlive every Render of `registry`.
void AddRelationshipMetrics(service::Registry& registry, Store& store, MetricsBackend& backend);

}  // namespace omnihub::unifier
