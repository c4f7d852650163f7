// The ingest benchmark's figures, printed as a table and written as JSON
// (docs/benchmarks.md describes every field).
//
// Thread-safety: plain data and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "tests/bench/e2e_phases.h"
#include "tests/bench/raw_baseline.h"

namespace omnihub::bench {

struct BenchSettings {
  uint64_t events = 0;
  uint64_t customers = 0;
  size_t text_bytes = 0;
  uint64_t latency_events = 0;
  int producers = 0;
  size_t publish_batch = 0;
  uint32_t unifier_batch_max_events = 0;
  uint32_t unifier_credit = 0;
  uint32_t publisher_window = 0;
  std::string workdir;
  std::string filesystem;  // of the workdir, e.g. "ext4"
};

struct BenchReport {
  BenchSettings settings;
  double avg_event_bytes = 0;  // serialized omnihub.v1.Event
  PhaseResult peak;
  PhaseResult latency;
  BaselineResult raw;         // synced batches of the unifier's average commit size
  BaselineResult raw_single;  // batch size 1: the disk's synced-write rate
  std::optional<BaselineResult> in_process;
  uint64_t stored_events = 0;  // unifier's counters at the end
  uint64_t stored_customers = 0;
  uint64_t dead_letters = 0;
  uint64_t duplicates = 0;
  double ratio() const { return raw.events_per_s > 0 ? peak.events_per_s / raw.events_per_s : 0; }
  // The same ratio with the time each bottleneck thread (the unifier's ingest thread,
  // the raw writer) spent waiting for a CPU taken out of its phase: on a shared
  // machine the two phases meet different contention, and this is what the code
  // would do with a CPU of its own. 0 when unknown.
  double ratio_excluding_cpu_wait() const;
  // CPU microseconds per event of the peak phase: the whole unifier process (every thread:
  // ingest, bus I/O, indexer, RocksDB's background work), its ingest thread alone, and the
  // in-process BatchProcessor (no sockets, no second process). 0 when unknown.
  double unifier_cpu_us_per_event() const;
  double ingest_thread_cpu_us_per_event() const;
  double in_process_cpu_us_per_event() const;
};

// The design goal: end-to-end at least this fraction of the raw synced rate.
inline constexpr double kGoalRatio = 0.5;
// The design goal: the unifier's own processing (the in-process BatchProcessor, the
// benchmark's "in-process unifier") spends at most this much CPU per event.
inline constexpr double kGoalUnifierCpuUsPerEvent = 15;

// One phase's figures as in the JSON report: "events_per_s", "latency" ("p50_ms", ...), ...
nlohmann::json LatencyJson(const LatencySummary& latency);
nlohmann::json PhaseJson(const PhaseResult& phase);

void PrintTable(const BenchReport& report, std::ostream& out);
// Writes the report as JSON to `path` (IoError if it cannot).
base::Status WriteJson(const BenchReport& report, const std::string& path);
// Writes both phases' Publish calls as CSV: phase,at_ms,events,latency_ms.
base::Status WriteTrace(const BenchReport& report, const std::string& path);

}  // namespace omnihub::bench
