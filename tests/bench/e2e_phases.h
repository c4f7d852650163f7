// The end-to-end phases of the ingest benchmarks, driving a real Outbox and its
// publisher (ZmqPublisher to a running unifier; LogPublisher to the partition log that
// unifier replicas apply, scripts/bench.sh cluster):
//  - peak: several producer threads publish pre-serialized events in small batches
//    as fast as the outbox accepts them (concurrent Publish calls are group-committed
//    by the outbox, as an adapter's concurrent arrivals are), until the last is acked;
//  - paced: one thread publishes, every slice (1 ms), the events due at a fixed rate.
// Each event's latency runs from just before its Publish call to the moment `acks`
// covers its sequence, i.e. committed by the unifier (by every replica, for ReplicaAcks).
//
// Thread-safety: the functions block their caller and own their threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/bus/outbox.h"
#include "common/base/status.h"
#include "common/bus/outbox_publisher.h"
#include "tests/bench/ack_recorder.h"

namespace omnihub::bench {

struct LatencySummary {
  uint64_t samples = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};

// Percentiles (nearest rank) of latencies in microseconds.
LatencySummary Summarize(std::vector<int64_t> latencies_us);

struct PhaseResult {
  std::string name;
  uint64_t events = 0;
  double seconds = 0;        // first Publish call to the ack of the last sequence
  int64_t started_unix_us = 0;  // wall clock at the first Publish call, to line up with logs
  double events_per_s = 0;
  double target_rate = 0;    // paced phase only
  double publish_seconds = 0;  // first Publish call to the return of the last: the outbox's accept time
  LatencySummary latency;
  uint64_t publish_calls = 0;
  uint64_t outbox_syncs = 0;     // synced outbox WriteBatches (group commits)
  uint64_t unifier_commits = 0;  // acks observed (see AckRecorder)
  // Per Publish call: microseconds since the phase started, events, and the
  // latency of its last event (for --trace).
  struct Call {
    int64_t at_us;
    uint64_t events;
    int64_t latency_us;
  };
  std::vector<Call> calls;
  double unifier_cpu_s = -1;     // filled by the caller
  double ingest_thread_cpu_s = -1;       // the unifier's ingest thread on a CPU (caller)
  double ingest_thread_runqueue_s = -1;  // ... runnable, waiting for a CPU (caller)
  double bench_cpu_s = -1;       // filled by the caller (outbox + sender + producers)

  double events_per_publish() const { return publish_calls ? double(events) / double(publish_calls) : 0; }
  double events_per_outbox_sync() const { return outbox_syncs ? double(events) / double(outbox_syncs) : 0; }
  double events_per_commit() const { return unifier_commits ? double(events) / double(unifier_commits) : 0; }
};

struct PeakOptions {
  int producers = 8;            // concurrent Publish callers
  size_t publish_batch = 32;    // events per Publish call
};

// Publishes every entry of `events` (consumed) and waits for all acks.
// Unavailable if the last ack does not come within `ack_timeout_s`.
base::Result<PhaseResult> RunPeak(bus::OutboxPublisher& publisher, AckSource& acks, bus::Outbox& outbox, std::vector<std::string> events,
                            const PeakOptions& options, double ack_timeout_s);

// Publishes `events` (consumed) at `rate` events/s in `slice_us` slices and waits
// for all acks.
base::Result<PhaseResult> RunPaced(bus::OutboxPublisher& publisher, AckSource& acks, bus::Outbox& outbox, std::vector<std::string> events, double rate,
                             int64_t slice_us, double ack_timeout_s);

}  // namespace omnihub::bench
