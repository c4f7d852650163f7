#include "services/unifier/unifier_metrics.h"

#include <rocksdb/statistics.h>

namespace omnihub::unifier {

UnifierMetrics::UnifierMetrics(service::Registry& registry)
    : frames_received(registry.AddCounter("omnihub_unifier_frames_received_total",
                                          "Bus frames received from publishers (resends included).")),
      batch_frames(registry.AddHistogram("omnihub_unifier_commit_batch_frames", "Frames per committed batch.",
                                         service::kBatchSizeBuckets)),
      commit_seconds(registry.AddHistogram("omnihub_unifier_commit_duration_seconds",
                                           "From a batch's frames taken off the socket to its WriteBatch synced.",
                                           service::kLatencyBuckets)),
      events_committed(registry.AddCounter("omnihub_unifier_events_committed_total",
                                           "Events committed to the timelines.")),
      statuses_committed(registry.AddCounter("omnihub_unifier_statuses_committed_total",
                                             "Delivery statuses committed.")),
      duplicates(registry.AddCounter("omnihub_unifier_duplicates_total",
                                     "Provider retries of a message already stored, dropped.")),
      dead_letters(registry.AddCounter("omnihub_unifier_dead_letters_total",
                                       "Inputs kept as dead letters (unparsable, invalid, or rejected by an adapter).")),
      resend_requests(registry.AddCounter("omnihub_unifier_resend_requests_total",
                                          "Acks asking a publisher to resend after a gap in its sequence.")),
      commit_failures(registry.AddCounter("omnihub_unifier_commit_failures_total",
                                          "Batches whose WriteBatch could not be committed.")) {}

void AddStoreMetrics(service::Registry& registry, Store& store) {
  rocksdb::DB* db = store.db();
  registry.AddGaugeCallback("omnihub_rocksdb_pending_compaction_bytes",
                            "RocksDB's estimate of the bytes compaction must rewrite to settle every level, "
                            "over all column families (rocksdb.estimate-pending-compaction-bytes).",
                            [db] {
                              uint64_t v = 0;
                              db->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                                           &v);
                              return static_cast<double>(v);
                            });
  rocksdb::Statistics* statistics = store.statistics();
  registry.AddCounterCallback("omnihub_rocksdb_write_stall_seconds_total",
                              "Time writes were delayed or stopped by RocksDB's write stalls (STALL_MICROS).",
                              [statistics] {
                                return statistics == nullptr
                                           ? 0.0
                                           : static_cast<double>(statistics->getTickerCount(rocksdb::STALL_MICROS)) / 1e6;
                              });
  registry.AddGaugeCallback("omnihub_rocksdb_write_stopped", "1 while RocksDB stops writes (rocksdb.is-write-stopped).",
                            [db] {
                              uint64_t v = 0;
                              db->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &v);
                              return static_cast<double>(v);
                            });
  registry.AddGaugeCallback("omnihub_rocksdb_delayed_write_rate_bytes",
                            "The rate RocksDB slows writes to during a stall, bytes per second; 0 when not "
                            "delayed (rocksdb.actual-delayed-write-rate).",
                            [db] {
                              uint64_t v = 0;
                              db->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &v);
                              return static_cast<double>(v);
                            });
}

}  // namespace omnihub::unifier
