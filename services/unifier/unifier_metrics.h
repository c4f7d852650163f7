// Every series omnihub-unifier exposes on its admin listener (GET /metrics), in one place.
// docs/operations.md describes each. The ingest loop (ingest_server.h) updates them after every
// committed batch; the RocksDB ones are read from the store at scrape time.
//
// Thread-safety: metric handles are thread-safe.
#pragma once

#include "common/service/metrics.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct UnifierMetrics {
  explicit UnifierMetrics(service::Registry& registry);

  service::Counter& frames_received;     // bus frames taken from the ingest socket
  service::Histogram& batch_frames;      // frames per committed batch
  service::Histogram& commit_seconds;    // from a batch's frames taken to its WriteBatch synced
  service::Counter& events_committed;    // timeline events committed
  service::Counter& statuses_committed;  // delivery statuses committed
  service::Counter& duplicates;          // provider retries of a stored message, dropped
  service::Counter& dead_letters;        // inputs kept as dead letters
  service::Counter& resend_requests;     // acks asking a publisher to resend (a gap)
  service::Counter& commit_failures;     // batches whose WriteBatch failed (the unifier then exits)
};

// Gauges and counters read from `store` at scrape time: pending compaction bytes, write stall
// time, whether writes are stopped, the delayed write rate. `store` must stay open for as long
// as `registry` is rendered.
void AddStoreMetrics(service::Registry& registry, Store& store);

}  // namespace omnihub::unifier
