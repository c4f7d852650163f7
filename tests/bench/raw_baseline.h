// The ingest benchmark's baselines on the same disk as the end-to-end run:
//  - raw: synced RocksDB WriteBatches holding the records the unifier writes for the
//    same events (see RawWriteSet below), built before the clock starts, so the rate
//    is RocksDB + fsync alone;
//  - in-process: the unifier's own BatchProcessor fed the same events as bus frames
//    in batches of the same size, without sockets or an outbox, so the difference to
//    the end-to-end rate shows what the processes and the bus cost.
// Both open their database with the unifier's Store (same column families and options).
//
// Thread-safety: the functions block their caller; one at a time per directory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "tests/bench/bench_events.h"

namespace omnihub::bench {

struct BaselineResult {
  std::string name;
  double batch_size = 0;  // events per synced WriteBatch (average)
  uint64_t events = 0;
  uint64_t batches = 0;
  uint64_t puts = 0;      // RocksDB records written (raw only)
  uint64_t bytes = 0;     // WriteBatch bytes written (raw only)
  double seconds = 0;
  double events_per_s = 0;
  double batches_per_s = 0;
  double cpu_s = 0;       // the writing thread's time on a CPU
  double runqueue_s = 0;  // the writing thread's time runnable but waiting for a CPU
};

// Writes `events` in synced WriteBatches of `batch_size` events on average (a
// fractional size alternates between its neighbours) into a fresh Store at `dir`.
// The write set per event, as the unifier's BatchProcessor produces it: the
// timeline record (same serialized TimelineRecord, 32-byte key), the event-index and
// dedup entries, the conversation-index entry (events with a conversation), the
// change-log record and the publisher high-water mark; per batch,
// each touched customer's record and the eight counters; on a customer's first sight
// its identity records and a CUSTOMER_CREATED change. Stops early after
// `max_seconds` (the figures then cover what was written).
base::Result<BaselineResult> RunRawBaseline(const std::string& dir, const std::vector<BenchEvent>& events,
                                      double batch_size, double max_seconds);

// Feeds `events` through a BatchProcessor on a fresh Store at `dir`, `batch_size`
// events per Process call (each one synced commit).
base::Result<BaselineResult> RunInProcessUnifier(const std::string& dir, const std::vector<BenchEvent>& events,
                                           double batch_size, const std::string& default_region);

// Batch boundaries: the end index of each batch, `batch_size` events on average.
std::vector<size_t> BatchEnds(size_t count, double batch_size);

}  // namespace omnihub::bench
