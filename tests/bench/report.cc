#include "tests/bench/report.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace omnihub::bench {
namespace {

std::string Row(const std::string& phase, uint64_t events, double seconds, double rate, const LatencySummary* lat,
                double batch) {
  char buf[256];
  if (lat != nullptr) {
    std::snprintf(buf, sizeof buf, "%-30s %9llu %8.2f %10.0f %8.2f %8.2f %8.2f %8.2f %8.1f\n", phase.c_str(),
                  static_cast<unsigned long long>(events), seconds, rate, lat->p50_ms, lat->p99_ms, lat->p999_ms,
                  lat->max_ms, batch);
  } else {
    std::snprintf(buf, sizeof buf, "%-30s %9llu %8.2f %10.0f %8s %8s %8s %8s %8.1f\n", phase.c_str(),
                  static_cast<unsigned long long>(events), seconds, rate, "-", "-", "-", "-", batch);
  }
  return buf;
}

nlohmann::json BaselineJson(const BaselineResult& b) {
  nlohmann::json j = {{"batch_size", b.batch_size},       {"events", b.events},
                      {"batches", b.batches},             {"seconds", b.seconds},
                      {"events_per_s", b.events_per_s},   {"synced_batches_per_s", b.batches_per_s},
                      {"cpu_s", b.cpu_s},                 {"runqueue_s", b.runqueue_s}};
  if (b.puts > 0) {
    j["records"] = b.puts;
    j["records_per_s"] = double(b.puts) / b.seconds;
    j["bytes"] = b.bytes;
  }
  return j;
}

double MicrosPerEvent(double cpu_s, uint64_t events) { return events ? cpu_s * 1e6 / double(events) : 0; }

}  // namespace

nlohmann::json LatencyJson(const LatencySummary& l) {
  return {{"samples", l.samples}, {"p50_ms", l.p50_ms}, {"p99_ms", l.p99_ms}, {"p999_ms", l.p999_ms},
          {"max_ms", l.max_ms},   {"mean_ms", l.mean_ms}};
}

nlohmann::json PhaseJson(const PhaseResult& p) {
  nlohmann::json j = {{"events", p.events},
                      {"seconds", p.seconds},
                      {"started_unix_ms", p.started_unix_us / 1000},
                      {"publish_seconds", p.publish_seconds},
                      {"events_per_s", p.events_per_s},
                      {"latency", LatencyJson(p.latency)},
                      {"publish_calls", p.publish_calls},
                      {"outbox_syncs", p.outbox_syncs},
                      {"unifier_commits", p.unifier_commits},
                      {"events_per_publish", p.events_per_publish()},
                      {"events_per_outbox_sync", p.events_per_outbox_sync()},
                      {"events_per_unifier_commit", p.events_per_commit()},
                      {"unifier_cpu_s", p.unifier_cpu_s},
                      {"ingest_thread_cpu_s", p.ingest_thread_cpu_s},
                      {"ingest_thread_runqueue_s", p.ingest_thread_runqueue_s},
                      {"bench_cpu_s", p.bench_cpu_s}};
  if (p.target_rate > 0) j["target_rate"] = p.target_rate;
  return j;
}

double BenchReport::ratio_excluding_cpu_wait() const {
  const double e2e_s = peak.seconds - peak.ingest_thread_runqueue_s;
  const double raw_s = raw.seconds - raw.runqueue_s;
  if (peak.ingest_thread_runqueue_s < 0 || e2e_s <= 0 || raw_s <= 0) return 0;
  return (double(peak.events) / e2e_s) / (double(raw.events) / raw_s);
}

double BenchReport::unifier_cpu_us_per_event() const { return MicrosPerEvent(peak.unifier_cpu_s, peak.events); }

double BenchReport::ingest_thread_cpu_us_per_event() const {
  return MicrosPerEvent(peak.ingest_thread_cpu_s, peak.events);
}

double BenchReport::in_process_cpu_us_per_event() const {
  return in_process ? MicrosPerEvent(in_process->cpu_s, in_process->events) : 0;
}

void PrintTable(const BenchReport& r, std::ostream& out) {
  const auto& s = r.settings;
  out << "omnihub core ingest benchmark: " << s.events << " events over " << s.customers << " customers, ~"
      << s.text_bytes << "-byte text (" << static_cast<uint64_t>(r.avg_event_bytes) << "-byte events), workdir "
      << s.workdir << " (" << s.filesystem << ")\n\n";
  char head[256];
  std::snprintf(head, sizeof head, "%-30s %9s %8s %10s %8s %8s %8s %8s %8s\n", "phase", "events", "seconds",
                "events/s", "p50 ms", "p99 ms", "p999 ms", "max ms", "batch");
  out << head;
  out << Row("e2e peak", r.peak.events, r.peak.seconds, r.peak.events_per_s, &r.peak.latency,
             r.peak.events_per_commit());
  char name[64];
  std::snprintf(name, sizeof name, "e2e latency @ %.0f/s", r.latency.target_rate);
  out << Row(name, r.latency.events, r.latency.seconds, r.latency.events_per_s, &r.latency.latency,
             r.latency.events_per_commit());
  std::snprintf(name, sizeof name, "raw RocksDB, batch %.1f", r.raw.batch_size);
  out << Row(name, r.raw.events, r.raw.seconds, r.raw.events_per_s, nullptr, r.raw.batch_size);
  out << Row("raw RocksDB, batch 1", r.raw_single.events, r.raw_single.seconds, r.raw_single.events_per_s, nullptr,
             1);
  if (r.in_process) {
    std::snprintf(name, sizeof name, "in-process unifier, batch %.1f", r.in_process->batch_size);
    out << Row(name, r.in_process->events, r.in_process->seconds, r.in_process->events_per_s, nullptr,
               r.in_process->batch_size);
  }
  char line[1024];
  std::snprintf(line, sizeof line,
                "\ne2e / raw = %.2f (goal >= %.2f: %s); %.2f without the time the ingest thread and the raw writer "
                "waited for a CPU (%.2f s and %.2f s)\n"
                "peak batching: %.1f events/Publish, %.1f events/outbox sync, %.1f events/unifier commit "
                "(%llu commits)\n"
                "peak: the outbox took every event in %.2f s; CPU: unifier %.2f s, bench process (producers, "
                "outbox, sender) %.2f s over %.2f s wall;\n"
                "      the unifier's ingest thread ran %.2f s and waited %.2f s for a CPU\n"
                "raw write set: %.1f records/event, %.0f bytes/event; the raw writer ran %.2f s of %.2f s; "
                "raw batch-1 rate %.0f synced writes/s\n"
                "unifier counters: %llu events, %llu customers, %llu dead letters, %llu duplicates\n",
                r.ratio(), kGoalRatio, r.ratio() >= kGoalRatio ? "met" : "NOT met",
                r.ratio_excluding_cpu_wait(), r.peak.ingest_thread_runqueue_s, r.raw.runqueue_s, r.peak.events_per_publish(),
                r.peak.events_per_outbox_sync(), r.peak.events_per_commit(),
                static_cast<unsigned long long>(r.peak.unifier_commits), r.peak.publish_seconds, r.peak.unifier_cpu_s, r.peak.bench_cpu_s,
                r.peak.seconds, r.peak.ingest_thread_cpu_s, r.peak.ingest_thread_runqueue_s, r.raw.events ? double(r.raw.puts) / double(r.raw.events) : 0.0,
                r.raw.events ? double(r.raw.bytes) / double(r.raw.events) : 0.0, r.raw.cpu_s, r.raw.seconds,
                r.raw_single.batches_per_s,
                static_cast<unsigned long long>(r.stored_events), static_cast<unsigned long long>(r.stored_customers),
                static_cast<unsigned long long>(r.dead_letters), static_cast<unsigned long long>(r.duplicates));
  out << line;
  std::snprintf(line, sizeof line,
                "CPU per event: in-process unifier %.1f us (goal <= %.0f us: %s); end to end its ingest thread "
                "%.1f us, the whole unifier process %.1f us\n",
                r.in_process_cpu_us_per_event(), kGoalUnifierCpuUsPerEvent,
                r.in_process && r.in_process_cpu_us_per_event() <= kGoalUnifierCpuUsPerEvent ? "met" : "NOT met",
                r.ingest_thread_cpu_us_per_event(), r.unifier_cpu_us_per_event());
  out << line;
}

base::Status WriteJson(const BenchReport& r, const std::string& path) {
  const auto& s = r.settings;
  nlohmann::json j = {
      {"benchmark", "core"},
      {"settings",
       {{"events", s.events},
        {"customers", s.customers},
        {"text_bytes", s.text_bytes},
        {"latency_events", s.latency_events},
        {"producers", s.producers},
        {"publish_batch", s.publish_batch},
        {"unifier_batch_max_events", s.unifier_batch_max_events},
        {"unifier_credit", s.unifier_credit},
        {"publisher_window", s.publisher_window},
        {"workdir", s.workdir},
        {"filesystem", s.filesystem}}},
      {"avg_event_bytes", r.avg_event_bytes},
      {"e2e_peak", PhaseJson(r.peak)},
      {"e2e_latency", PhaseJson(r.latency)},
      {"raw", BaselineJson(r.raw)},
      {"raw_batch1", BaselineJson(r.raw_single)},
      {"ratio_e2e_to_raw", r.ratio()},
      {"ratio_excluding_cpu_wait", r.ratio_excluding_cpu_wait()},
      {"goal_ratio", kGoalRatio},
      {"goal_met", r.ratio() >= kGoalRatio},
      {"cpu_us_per_event",
       {{"unifier_process", r.unifier_cpu_us_per_event()},
        {"ingest_thread", r.ingest_thread_cpu_us_per_event()},
        {"in_process", r.in_process_cpu_us_per_event()}}},
      {"goal_unifier_cpu_us_per_event", kGoalUnifierCpuUsPerEvent},
      {"unifier_counters",
       {{"events", r.stored_events},
        {"customers", r.stored_customers},
        {"dead_letters", r.dead_letters},
        {"duplicates", r.duplicates}}},
  };
  if (r.in_process) j["in_process_unifier"] = BaselineJson(*r.in_process);
  std::ofstream out(path, std::ios::trunc);
  out << j.dump(2) << "\n";
  if (!out) return base::Status::IoError("cannot write " + path);
  return base::Status::Ok();
}

base::Status WriteTrace(const BenchReport& r, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  out << "phase,at_ms,events,latency_ms\n";
  for (const PhaseResult* p : {&r.peak, &r.latency}) {
    for (const auto& c : p->calls) {
      out << p->name << "," << double(c.at_us) / 1000.0 << "," << c.events << "," << double(c.latency_us) / 1000.0
          << "\n";
    }
  }
  if (!out) return base::Status::IoError("cannot write " + path);
  return base::Status::Ok();
}

}  // namespace omnihub::bench
