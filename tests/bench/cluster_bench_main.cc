// omnihub-bench-cluster: what cluster mode costs on this machine (scripts/bench.sh cluster,
// docs/benchmarks.md "cluster"). The same events go through two set-ups, one after the other
// in one run:
//  - single host: an Outbox and a ZmqPublisher into one omnihub-unifier (the path of
//    omnihub-bench-ingest);
//  - cluster mode: an Outbox and the adapters' cluster-mode publisher (NatsClusterPublisher:
//    the shard map, appends to OMNI_P00 under <publisher>/<partition>/<sequence>, acks on
//    omni.acks.<publisher>) on three nats-server processes clustered on loopback, the stream
//    file-stored with 3 replicas, applied by two omnihub-unifier replicas of partition 0.
// Each set-up: a warm-up, the peak phase (events/s from the first publish until the last event
// is applied and synced - by every replica in cluster mode, ReplicaAcks), then the latency
// phase: publish -> applied p50/p99 at a fixed offered rate, half the cluster's peak, the same
// rate for both set-ups (lowered to half the single host's peak should that be below it).
// On one machine the three servers, the two replicas and the publisher share its cores: this
// measures the overhead of cluster mode, not how it scales over several hosts.
//
// The servers and the unifiers are started by the benchmark and stopped by their pids.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/bus/cluster_config.h"
#include "common/bus/log_sender/nats_cluster_publisher.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_cluster_options.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"
#include "common/event/identity.h"
#include "tests/bench/ack_recorder.h"
#include "tests/bench/bench_events.h"
#include "tests/bench/bench_flags.h"
#include "tests/bench/e2e_phases.h"
#include "tests/bench/new_nats_cluster.h"
#include "tests/bench/replica_acks.h"
#include "tests/bench/report.h"
#include "tests/bench/unifier_process.h"
#include "tests/support/nats_server.h"

namespace omnihub::bench {
namespace {

constexpr char kUsage[] =
    "usage: omnihub-bench-cluster --unifier PATH [options]\n"
    "  --events N            events in the peak phase (default 100000)\n"
    "  --customers M         customers they are spread over (default 10000)\n"
    "  --text-bytes B        approximate text length of each event (default 500)\n"
    "  --latency-events L    events in the latency phase (default N/2)\n"
    "  --producers P         concurrent Publish callers in the peak phase (default 8)\n"
    "  --publish-batch K     events per Publish call in the peak phase (default 32)\n"
    "  --batch-max E         unifier.batch_max_events of every unifier (default: the config default)\n"
    "  --seed X              event generator seed (default 42)\n"
    "  --workdir DIR         a fresh subdirectory of DIR holds the databases and sockets; removed\n"
    "                        at the end unless --keep (the NATS servers' stores are in /tmp)\n"
    "  --keep                keep that subdirectory\n"
    "  --json PATH           also write the figures as JSON\n";

constexpr uint64_t kWarmupEvents = 200;
constexpr double kAckTimeoutS = 300;
constexpr int kUnifierReplicas = 2;
constexpr uint32_t kStreamReplicas = 3;

double BenchCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// The serialized events of one set-up (each consumes its own copy).
struct EventSet {
  std::vector<std::string> warmup, peak, latency;
};

// One set-up's figures.
struct SetupResult {
  PhaseResult peak;
  PhaseResult latency;
  std::vector<uint64_t> stored_events;  // per unifier, at the end
  int unclean_stops = 0;                 // unifiers that did not exit cleanly on SIGTERM
};

// CPU seconds of every unifier together (-1 when one is unreadable).
double UnifiersCpu(const std::vector<std::unique_ptr<UnifierProcess>>& unifiers) {
  double sum = 0;
  for (const auto& u : unifiers) {
    const double s = u->CpuSeconds();
    if (s < 0) return -1;
    sum += s;
  }
  return sum;
}

// Warm-up, peak and latency phases through `publisher`, complete when `acks` covers them;
// `paced_rate(peak events/s)` gives the latency phase's rate. Then checks that every unifier
// stored every event.
base::Result<SetupResult> RunPhases(const char* setup, bus::OutboxPublisher& publisher, AckSource& acks,
                                    bus::Outbox& outbox, const std::vector<std::unique_ptr<UnifierProcess>>& unifiers,
                                    EventSet events, const BenchFlags& flags,
                                    const std::function<double(double)>& paced_rate) {
  std::cerr << setup << ": warm-up...\n";
  std::vector<bus::OutboxItem> warm_items;
  for (auto& e : events.warmup) warm_items.push_back({std::move(e), std::nullopt});
  auto warm = publisher.Publish(std::move(warm_items));
  if (!warm.ok()) return warm.status();
  if (!acks.WaitForAck(warm->back(), std::chrono::seconds(60))) {
    std::string logs;
    for (const auto& u : unifiers) logs += u->LogTail(2000) + "\n";
    return base::Status::Unavailable(std::string(setup) + ": warm-up events not applied in 60 s; unifier logs:\n" +
                                     logs);
  }
  SetupResult result;
  std::cerr << setup << ": peak phase, " << events.peak.size() << " events...\n";
  double cpu0 = UnifiersCpu(unifiers), bench0 = BenchCpuSeconds();
  auto peak = RunPeak(publisher, acks, outbox, std::move(events.peak), {flags.producers, flags.publish_batch},
                      kAckTimeoutS);
  if (!peak.ok()) return peak.status().WithContext(setup);
  peak->unifier_cpu_s = UnifiersCpu(unifiers) - cpu0;
  peak->bench_cpu_s = BenchCpuSeconds() - bench0;
  result.peak = *peak;

  const double rate = paced_rate(peak->events_per_s);
  std::cerr << setup << ": latency phase, " << events.latency.size() << " events at " << static_cast<uint64_t>(rate)
            << " events/s...\n";
  cpu0 = UnifiersCpu(unifiers);
  bench0 = BenchCpuSeconds();
  auto paced = RunPaced(publisher, acks, outbox, std::move(events.latency), rate, 1000, kAckTimeoutS);
  if (!paced.ok()) return paced.status().WithContext(setup);
  paced->unifier_cpu_s = UnifiersCpu(unifiers) - cpu0;
  paced->bench_cpu_s = BenchCpuSeconds() - bench0;
  result.latency = *paced;

  const uint64_t expected = kWarmupEvents + flags.events + flags.latency_events;
  for (const auto& u : unifiers) {
    auto stats = u->Stats();
    if (!stats.ok()) return stats.status().WithContext(std::string(setup) + ": final stats");
    result.stored_events.push_back(stats->events());
    if (stats->events() != expected || stats->dead_letters() != 0) {
      return base::Status::Internal(std::string(setup) + ": a unifier stored " + std::to_string(stats->events()) +
                                    " events and " + std::to_string(stats->dead_letters()) +
                                    " dead letters; expected " + std::to_string(expected) + " events and none");
    }
  }
  return result;
}

bus::PublisherOptions PublisherOptionsOf(const config::Config& config) {
  bus::PublisherOptions options;
  options.window = config.publisher.window;
  options.resend_timeout_us = int64_t{config.publisher.resend_timeout_ms} * 1000;
  return options;
}

base::Result<SetupResult> RunSingleHost(const BenchFlags& flags, const std::string& workdir, EventSet events,
                                        double cluster_rate) {
  zmq::context_t ctx(1);
  std::vector<std::unique_ptr<UnifierProcess>> unifiers;
  std::filesystem::create_directories(workdir + "/single");
  auto unifier = UnifierProcess::Start({flags.unifier, workdir + "/single", flags.batch_max, std::nullopt}, ctx,
                                       std::chrono::seconds(30));
  if (!unifier.ok()) return unifier.status();
  unifiers.push_back(std::move(*unifier));
  const config::Config& config = unifiers[0]->config();
  base::SystemClock clock;
  base::SystemRandom random;
  base::Result<SetupResult> result = base::Status::Internal("not run");
  {
    auto outbox = bus::Outbox::Open(workdir + "/single/outbox", "bench", random);
    if (!outbox.ok()) return outbox.status();
    bus::ZmqPublisher publisher(ctx, config.bus.ingest, **outbox, clock, PublisherOptionsOf(config));
    OMNIHUB_RETURN_IF_ERROR(publisher.status());
    PublisherAcks acks(publisher);
    result = RunPhases("single host", publisher, acks, **outbox, unifiers, std::move(events), flags,
                       [&](double peak) { return std::min(cluster_rate, 0.5 * peak); });
  }
  OMNIHUB_RETURN_IF_ERROR(unifiers[0]->Stop(std::chrono::seconds(30)));
  return result;
}

base::Result<SetupResult> RunCluster(const BenchFlags& flags, const std::string& workdir, EventSet events) {
  testing::NatsCluster servers;
  if (std::string error = servers.Start(); !error.empty()) return base::Status::Unavailable(error);
  bus::ClusterConfig cluster;
  cluster.enabled = true;
  cluster.nats_urls = servers.urls();
  cluster.partitions = 1;
  cluster.replicas = kStreamReplicas;

  // What `omnihubctl cluster init` and `cluster assign default 0` make.
  auto options = bus::nats::ConnectionOptionsFrom(cluster, "bench-cluster");
  if (!options.ok()) return options.status();
  auto conn = bus::nats::NatsConnection::Connect(*options);
  if (!conn.ok()) return conn.status();
  bus::nats::NatsPartitionLog log(**conn, bus::nats::LogOptionsFrom(cluster));
  OMNIHUB_RETURN_IF_ERROR(EnsureStreamsOnNewCluster(log));
  bus::nats::NatsBlobStore blobs(**conn, bus::nats::BlobStoreOptionsFrom(cluster));
  OMNIHUB_RETURN_IF_ERROR(blobs.EnsureStream());
  auto map = bus::nats::NatsShardMap::Open(**conn, bus::nats::ShardMapOptionsFrom(cluster));
  if (!map.ok()) return map.status();
  if (auto put = (*map)->Put("default", 0); !put.ok()) return put.status();

  zmq::context_t ctx(1);
  std::vector<std::unique_ptr<UnifierProcess>> unifiers;
  for (int i = 0; i < kUnifierReplicas; ++i) {
    const std::string id(1, static_cast<char>('a' + i));
    UnifierSetup setup{flags.unifier, workdir + "/replica-" + id, flags.batch_max,
                       ReplicaSetup{cluster.nats_urls, kStreamReplicas, 1, 0, id}};
    std::filesystem::create_directories(setup.workdir);
    auto unifier = UnifierProcess::Start(setup, ctx, std::chrono::seconds(60));
    if (!unifier.ok()) return unifier.status().WithContext("replica " + id);
    unifiers.push_back(std::move(*unifier));
  }
  const config::Config& config = unifiers[0]->config();
  base::SystemClock clock;
  base::SystemRandom random;
  base::Result<SetupResult> result = base::Status::Internal("not run");
  {
    auto outbox = bus::Outbox::Open(workdir + "/cluster-outbox", "bench", random);
    if (!outbox.ok()) return outbox.status();
    auto acks = ReplicaAcks::Subscribe(**conn, (*outbox)->publisher_id(), kUnifierReplicas);
    if (!acks.ok()) return acks.status();
    auto publisher = bus::NatsClusterPublisher::Start(cluster, "bench-adapter", **outbox, clock,
                                                      PublisherOptionsOf(config), nullptr);
    if (!publisher.ok()) return publisher.status();
    result = RunPhases("cluster", (*publisher)->publisher(), **acks, **outbox, unifiers, std::move(events), flags,
                       [](double peak) { return 0.5 * peak; });
  }
  // The figures are taken and every replica's store checked by now: a replica that does not stop
  // cleanly is reported (and counted in the JSON), not a failed round.
  for (auto& u : unifiers) {
    if (base::Status stopped = u->Stop(std::chrono::seconds(30)); !stopped.ok() && result.ok()) {
      std::cerr << "cluster: warning: a replica did not stop cleanly: " << stopped.ToString() << "\n";
      ++result->unclean_stops;
    }
  }
  return result;
}

nlohmann::json SetupJson(const SetupResult& r) {
  return {{"peak", PhaseJson(r.peak)},
          {"latency", PhaseJson(r.latency)},
          {"unifier_cpu_us_per_event", r.peak.events ? r.peak.unifier_cpu_s * 1e6 / double(r.peak.events) : 0},
          {"stored_events", r.stored_events},
          {"unclean_stops", r.unclean_stops}};
}

void PrintSetup(const char* name, const SetupResult& r) {
  std::printf("%-12s peak %8.0f events/s (%.2f s) | latency at %6.0f events/s: p50 %7.1f ms, p99 %7.1f ms | "
              "unifier CPU %.1f us/event\n",
              name, r.peak.events_per_s, r.peak.seconds, r.latency.target_rate, r.latency.latency.p50_ms,
              r.latency.latency.p99_ms, r.peak.events ? r.peak.unifier_cpu_s * 1e6 / double(r.peak.events) : 0);
}

base::Status Run(const BenchFlags& flags, const std::string& workdir) {
  base::SystemClock clock;
  base::SystemRandom random;
  event::IdentityNormalizer normalizer("US");
  EventFactory factory(EventMix{flags.customers, flags.text_bytes, flags.seed}, normalizer, clock, random);
  EventSet events;
  for (auto [count, out] : {std::pair{kWarmupEvents, &events.warmup}, std::pair{flags.events, &events.peak},
                            std::pair{flags.latency_events, &events.latency}}) {
    auto made = factory.Make(count);
    if (!made.ok()) return made.status();
    *out = SerializeEvents(*made);
  }
  std::printf("omnihub cluster benchmark: %llu + %llu events over %llu customers; cluster: 3 nats-server "
              "processes on loopback, 1 partition (R%u, file storage), %d unifier replicas; single host: the "
              "ZeroMQ bus and one unifier. One machine: this measures overhead, not scale.\n",
              static_cast<unsigned long long>(flags.events), static_cast<unsigned long long>(flags.latency_events),
              static_cast<unsigned long long>(flags.customers), kStreamReplicas, kUnifierReplicas);
  std::fflush(stdout);

  auto cluster = RunCluster(flags, workdir, events);
  if (!cluster.ok()) return cluster.status();
  auto single = RunSingleHost(flags, workdir, std::move(events), cluster->latency.target_rate);
  if (!single.ok()) return single.status();

  PrintSetup("cluster", *cluster);
  PrintSetup("single host", *single);
  const double ratio = single->peak.events_per_s > 0 ? cluster->peak.events_per_s / single->peak.events_per_s : 0;
  std::printf("cluster / single host peak: %.2f\n", ratio);
  if (flags.json.empty()) return base::Status::Ok();
  const nlohmann::json j = {
      {"benchmark", "cluster"},
      {"settings",
       {{"events", flags.events},
        {"latency_events", flags.latency_events},
        {"customers", flags.customers},
        {"text_bytes", flags.text_bytes},
        {"producers", flags.producers},
        {"publish_batch", flags.publish_batch},
        {"nats_servers", 3},
        {"partitions", 1},
        {"stream_replicas", kStreamReplicas},
        {"unifier_replicas", kUnifierReplicas},
        {"workdir", workdir}}},
      {"note", "one machine, loopback: the overhead of cluster mode, not its scale"},
      {"cluster", SetupJson(*cluster)},
      {"single_host", SetupJson(*single)},
      {"ratio_cluster_to_single_peak", ratio}};
  std::ofstream out(flags.json, std::ios::trunc);
  out << j.dump(2) << "\n";
  if (!out) return base::Status::IoError("cannot write " + flags.json);
  return base::Status::Ok();
}

}  // namespace
}  // namespace omnihub::bench

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  return omnihub::bench::RunBenchMain(argc, argv, "omnihub-bench-cluster", omnihub::bench::kUsage,
                                      [](const auto& flags, const std::string& workdir) {
                                        return omnihub::bench::Run(flags, workdir);
                                      });
}
