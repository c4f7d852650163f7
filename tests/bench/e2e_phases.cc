#include "tests/bench/e2e_phases.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

namespace omnihub::bench {
namespace {

// A Publish call: which sequences it got and when it was made.
struct PublishRecord {
  uint64_t first_sequence;
  uint64_t count;
  int64_t called_at_us;
};

std::vector<bus::OutboxItem> TakeItems(std::vector<std::string>& events, size_t begin, size_t end) {
  std::vector<bus::OutboxItem> items(end - begin);
  for (size_t i = begin; i < end; ++i) items[i - begin].event_bytes = std::move(events[i]);
  return items;
}

// Waits for the last sequence, then turns publish records and observed acks into
// the phase's figures.
base::Result<PhaseResult> Finish(const char* name, AckSource& acks, bus::Outbox& outbox, AckRecorder& recorder,
                           std::vector<PublishRecord> publishes, uint64_t syncs_before, int64_t started_us,
                           double ack_timeout_s) {
  if (publishes.empty()) return base::Status::InvalidArgument(std::string(name) + ": no events to publish");
  uint64_t first = UINT64_MAX, last = 0, events = 0;
  for (const auto& p : publishes) {
    first = std::min(first, p.first_sequence);
    last = std::max(last, p.first_sequence + p.count - 1);
    events += p.count;
  }
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(ack_timeout_s * 1000));
  if (!acks.WaitForAck(last, timeout)) {
    return base::Status::Unavailable(std::string(name) + ": sequence " + std::to_string(last) + " not acknowledged within " +
                               std::to_string(ack_timeout_s) + " s (acked " + std::to_string(acks.acked()) + ")");
  }
  const uint64_t syncs_after = outbox.synced_batches();
  // The recorder timestamps the ack itself; give it a moment to see the last one.
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  recorder.Stop();

  PhaseResult r;
  r.name = name;
  r.started_unix_us = started_us - NowMicros() +
                      std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  r.events = events;
  r.publish_calls = publishes.size();
  r.outbox_syncs = syncs_after - syncs_before;
  r.unifier_commits = recorder.CommitsCovering(first, last);
  const int64_t done_us = recorder.AckedAt(last);
  r.seconds = double(done_us - started_us) / 1e6;
  r.events_per_s = r.seconds > 0 ? double(events) / r.seconds : 0;
  std::vector<int64_t> latencies;
  latencies.reserve(events);
  std::sort(publishes.begin(), publishes.end(),
            [](const PublishRecord& a, const PublishRecord& b) { return a.called_at_us < b.called_at_us; });
  for (const auto& p : publishes) {
    for (uint64_t s = p.first_sequence; s < p.first_sequence + p.count; ++s) {
      latencies.push_back(recorder.AckedAt(s) - p.called_at_us);
    }
    r.calls.push_back({p.called_at_us - started_us, p.count, latencies.back()});
  }
  r.latency = Summarize(std::move(latencies));
  return r;
}

}  // namespace

LatencySummary Summarize(std::vector<int64_t> latencies_us) {
  LatencySummary s;
  if (latencies_us.empty()) return s;
  std::sort(latencies_us.begin(), latencies_us.end());
  const size_t n = latencies_us.size();
  auto rank = [&](double q) {
    const size_t i = static_cast<size_t>(std::ceil(q * double(n)));
    return double(latencies_us[std::min(n - 1, i == 0 ? 0 : i - 1)]) / 1000.0;
  };
  double sum = 0;
  for (int64_t v : latencies_us) sum += double(v);
  s.samples = n;
  s.p50_ms = rank(0.50);
  s.p99_ms = rank(0.99);
  s.p999_ms = rank(0.999);
  s.max_ms = double(latencies_us.back()) / 1000.0;
  s.mean_ms = sum / double(n) / 1000.0;
  return s;
}

base::Result<PhaseResult> RunPeak(bus::OutboxPublisher& publisher, AckSource& acks, bus::Outbox& outbox, std::vector<std::string> events,
                            const PeakOptions& options, double ack_timeout_s) {
  const size_t batch = std::max<size_t>(1, options.publish_batch);
  AckRecorder recorder(acks);
  recorder.Start();
  const uint64_t syncs_before = outbox.synced_batches();

  std::atomic<size_t> next{0};
  std::mutex mu;
  std::vector<PublishRecord> publishes;  // guarded by mu
  base::Status failure;                        // guarded by mu
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, options.producers); ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      std::vector<PublishRecord> mine;
      while (true) {
        const size_t begin = next.fetch_add(batch);
        if (begin >= events.size()) break;
        const size_t end = std::min(events.size(), begin + batch);
        std::vector<bus::OutboxItem> items = TakeItems(events, begin, end);
        const int64_t called = NowMicros();
        auto seqs = publisher.Publish(std::move(items));
        if (!seqs.ok()) {
          std::lock_guard lock(mu);
          failure = seqs.status();
          next.store(events.size());
          break;
        }
        mine.push_back({seqs->front(), seqs->size(), called});
      }
      std::lock_guard lock(mu);
      publishes.insert(publishes.end(), mine.begin(), mine.end());
    });
  }
  const int64_t started = NowMicros();
  go.store(true);
  for (auto& t : threads) t.join();
  const int64_t all_published = NowMicros();
  if (!failure.ok()) return failure.WithContext("peak phase publish");
  auto r = Finish("peak", acks, outbox, recorder, std::move(publishes), syncs_before, started, ack_timeout_s);
  if (r.ok()) r->publish_seconds = double(all_published - started) / 1e6;
  return r;
}

base::Result<PhaseResult> RunPaced(bus::OutboxPublisher& publisher, AckSource& acks, bus::Outbox& outbox, std::vector<std::string> events, double rate,
                             int64_t slice_us, double ack_timeout_s) {
  AckRecorder recorder(acks);
  recorder.Start();
  const uint64_t syncs_before = outbox.synced_batches();
  std::vector<PublishRecord> publishes;
  const auto start = std::chrono::steady_clock::now();
  const int64_t started = NowMicros();
  size_t published = 0;
  for (int64_t slice = 1; published < events.size(); ++slice) {
    // Everything due by now goes out in one call; a slow call makes the next one bigger.
    const double elapsed_s = double(NowMicros() - started) / 1e6;
    const size_t due = std::min(events.size(), static_cast<size_t>(elapsed_s * rate) + 1);
    if (due > published) {
      std::vector<bus::OutboxItem> items = TakeItems(events, published, due);
      const int64_t called = NowMicros();
      auto seqs = publisher.Publish(std::move(items));
      if (!seqs.ok()) return seqs.status().WithContext("paced phase publish");
      publishes.push_back({seqs->front(), seqs->size(), called});
      published = due;
    }
    if (published == events.size()) break;
    const auto wake = start + std::chrono::microseconds(slice * slice_us);
    if (wake > std::chrono::steady_clock::now()) {
      std::this_thread::sleep_until(wake);
    } else {
      slice = (NowMicros() - started) / slice_us;  // behind: skip the missed slices
    }
  }
  const int64_t all_published = NowMicros();
  auto r = Finish("latency", acks, outbox, recorder, std::move(publishes), syncs_before, started, ack_timeout_s);
  if (r.ok()) {
    r->target_rate = rate;
    r->publish_seconds = double(all_published - started) / 1e6;
  }
  return r;
}

}  // namespace omnihub::bench
