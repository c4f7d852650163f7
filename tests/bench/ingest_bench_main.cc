// omnihub-bench-ingest: the core ingest benchmark (run by scripts/bench.sh; the
// method and the figures are in docs/benchmarks.md).
//
// End to end through a real omnihub-unifier process and a real Outbox +
// ZmqPublisher: the peak rate, then publish->committed latency at half of it; then,
// on the same disk, the raw rate of synced RocksDB WriteBatches holding the same
// records in batches of the size the unifier committed, the synced-write rate at
// batch size 1, and the unifier's logic in-process; prints a table, writes JSON.
#include <sys/resource.h>
#include <sys/statfs.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/event/identity.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"
#include "tests/bench/bench_events.h"
#include "tests/bench/bench_flags.h"
#include "tests/bench/e2e_phases.h"
#include "tests/bench/raw_baseline.h"
#include "tests/bench/report.h"
#include "tests/bench/unifier_process.h"
#include "services/unifier/unifier_config.h"

namespace omnihub::bench {
namespace {

constexpr uint64_t kWarmupEvents = 200;
constexpr double kAckTimeoutS = 300;

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::string FilesystemOf(const std::string& dir) {
  struct statfs fs {};
  if (statfs(dir.c_str(), &fs) != 0) return "unknown";
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53: return "ext4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs";
    case 0x794C7630: return "overlayfs";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "fs-0x%lx", static_cast<unsigned long>(fs.f_type));
      return buf;
    }
  }
}

base::Result<std::vector<BenchEvent>> Generate(EventFactory& factory, uint64_t count, const char* what) {
  auto events = factory.Make(count);
  if (!events.ok()) return events.status().WithContext(what);
  return events;
}

base::Status RunBenchmark(const BenchFlags& flags, const std::string& workdir, BenchReport& report) {
  report.settings.filesystem = FilesystemOf(workdir);
  if (report.settings.filesystem == "tmpfs") {
    std::cerr << "omnihub-bench-ingest: warning: " << workdir << " is on tmpfs, where fsync costs nothing\n";
  }

  base::SystemClock clock;
  base::SystemRandom random;
  event::IdentityNormalizer normalizer("US");
  EventFactory factory(EventMix{flags.customers, flags.text_bytes, flags.seed}, normalizer, clock, random);
  std::cerr << "generating " << kWarmupEvents + flags.events + flags.latency_events << " events...\n";
  auto warmup = Generate(factory, kWarmupEvents, "warm-up events");
  if (!warmup.ok()) return warmup.status();
  auto peak_events = Generate(factory, flags.events, "peak events");
  if (!peak_events.ok()) return peak_events.status();
  auto latency_events = Generate(factory, flags.latency_events, "latency events");
  if (!latency_events.ok()) return latency_events.status();
  std::vector<std::string> peak_bytes = SerializeEvents(*peak_events);
  double total_bytes = 0;
  for (const auto& b : peak_bytes) total_bytes += double(b.size());
  report.avg_event_bytes = total_bytes / double(peak_bytes.size());

  zmq::context_t ctx(1);
  auto unifier = UnifierProcess::Start({flags.unifier, workdir, flags.batch_max, std::nullopt}, ctx, std::chrono::seconds(30));
  if (!unifier.ok()) return unifier.status();
  const config::Config& config = (*unifier)->config();
  report.settings.unifier_batch_max_events = config.Get<unifier::UnifierConfig>().batch_max_events;
  report.settings.unifier_credit = config.Get<unifier::UnifierConfig>().credit;
  report.settings.publisher_window = config.publisher.window;
  {
    auto outbox = bus::Outbox::Open(workdir + "/outbox", "bench", random);
    if (!outbox.ok()) return outbox.status();
    bus::PublisherOptions options;
    options.window = config.publisher.window;
    options.resend_timeout_us = int64_t{config.publisher.resend_timeout_ms} * 1000;
    bus::ZmqPublisher publisher(ctx, config.bus.ingest, **outbox, clock, options);
    OMNIHUB_RETURN_IF_ERROR(publisher.status());
    PublisherAcks acks(publisher);

    // Warm-up: connects, creates the first customers' column-family files, pages code in.
    std::cerr << "warm-up...\n";
    auto warm = publisher.Publish([&] {
      std::vector<bus::OutboxItem> items;
      for (const auto& e : *warmup) items.push_back({e.event.SerializeAsString(), std::nullopt});
      return items;
    }());
    if (!warm.ok()) return warm.status();
    if (!publisher.WaitForAck(warm->back(), std::chrono::seconds(30))) {
      return base::Status::Unavailable("warm-up events not acknowledged; unifier log:\n" + (*unifier)->LogTail(2000));
    }

    std::cerr << "peak phase: " << flags.events << " events...\n";
    const double unifier_cpu0 = (*unifier)->CpuSeconds(), bench_cpu0 = ProcessCpuSeconds();
    const auto thread0 = (*unifier)->MainThreadTimes();
    auto peak = RunPeak(publisher, acks, **outbox, std::move(peak_bytes), {flags.producers, flags.publish_batch},
                        kAckTimeoutS);
    if (!peak.ok()) return peak.status();
    peak->unifier_cpu_s = (*unifier)->CpuSeconds() - unifier_cpu0;
    peak->bench_cpu_s = ProcessCpuSeconds() - bench_cpu0;
    const auto thread1 = (*unifier)->MainThreadTimes();
    peak->ingest_thread_cpu_s = thread1.on_cpu_s - thread0.on_cpu_s;
    peak->ingest_thread_runqueue_s = thread1.runqueue_s - thread0.runqueue_s;
    report.peak = *peak;

    const double rate = 0.5 * peak->events_per_s;
    std::cerr << "latency phase: " << flags.latency_events << " events at " << static_cast<uint64_t>(rate)
              << " events/s...\n";
    const double unifier_cpu1 = (*unifier)->CpuSeconds(), bench_cpu1 = ProcessCpuSeconds();
    const auto thread2 = (*unifier)->MainThreadTimes();
    auto paced = RunPaced(publisher, acks, **outbox, SerializeEvents(*latency_events), rate, 1000, kAckTimeoutS);
    if (!paced.ok()) return paced.status();
    paced->unifier_cpu_s = (*unifier)->CpuSeconds() - unifier_cpu1;
    paced->bench_cpu_s = ProcessCpuSeconds() - bench_cpu1;
    const auto thread3 = (*unifier)->MainThreadTimes();
    paced->ingest_thread_cpu_s = thread3.on_cpu_s - thread2.on_cpu_s;
    paced->ingest_thread_runqueue_s = thread3.runqueue_s - thread2.runqueue_s;
    report.latency = *paced;
  }
  auto stats = (*unifier)->Stats();
  if (!stats.ok()) return stats.status().WithContext("final stats");
  report.stored_events = stats->events();
  report.stored_customers = stats->customers();
  report.dead_letters = stats->dead_letters();
  report.duplicates = stats->duplicates();
  OMNIHUB_RETURN_IF_ERROR((*unifier)->Stop(std::chrono::seconds(30)));
  const uint64_t expected = kWarmupEvents + flags.events + flags.latency_events;
  if (report.stored_events != expected || report.dead_letters != 0) {
    return base::Status::Internal("the unifier stored " + std::to_string(report.stored_events) + " events and " +
                            std::to_string(report.dead_letters) + " dead letters; expected " +
                            std::to_string(expected) + " events and none");
  }

  const double batch = std::max(1.0, report.peak.events_per_commit());
  std::cerr << "raw RocksDB baseline, batch " << batch << "...\n";
  auto raw = RunRawBaseline(workdir + "/raw-db", *peak_events, batch, 600);
  if (!raw.ok()) return raw.status();
  report.raw = *raw;
  std::cerr << "raw RocksDB baseline, batch 1...\n";
  std::vector<BenchEvent> single(peak_events->begin(),
                                 peak_events->begin() + std::min<size_t>(peak_events->size(), flags.raw_single_events));
  auto raw1 = RunRawBaseline(workdir + "/raw-db-1", single, 1, 10);
  if (!raw1.ok()) return raw1.status();
  report.raw_single = *raw1;
  if (flags.in_process) {
    std::cerr << "in-process unifier, batch " << batch << "...\n";
    auto inproc = RunInProcessUnifier(workdir + "/inprocess-db", *peak_events, batch, config.identity.default_region);
    if (!inproc.ok()) return inproc.status();
    report.in_process = *inproc;
  }
  return base::Status::Ok();
}

}  // namespace
}  // namespace omnihub::bench

int main(int argc, char** argv) {
  using namespace omnihub::bench;
  spdlog::set_level(spdlog::level::warn);
  return RunBenchMain(argc, argv, "omnihub-bench-ingest", kBenchUsage,
                      [](const BenchFlags& flags, const std::string& workdir) -> omnihub::base::Status {
                        BenchReport report;
                        report.settings = {flags.events,        flags.customers, flags.text_bytes, flags.latency_events,
                                           flags.producers,     flags.publish_batch, 0, 0, 0, workdir, ""};
                        OMNIHUB_RETURN_IF_ERROR(RunBenchmark(flags, workdir, report));
                        PrintTable(report, std::cout);
                        if (!flags.json.empty()) {
                          OMNIHUB_RETURN_IF_ERROR(WriteJson(report, flags.json));
                          std::cout << "JSON: " << flags.json << "\n";
                        }
                        if (!flags.trace.empty()) OMNIHUB_RETURN_IF_ERROR(WriteTrace(report, flags.trace));
                        return omnihub::base::Status::Ok();
                      });
}
