// omnihub-unifier: consumes the ingest bus, resolves identities to customers, writes
// timelines to RocksDB, publishes committed changes and answers queries. In cluster mode
// ([cluster] enabled) it is a replica of one partition: it applies that partition's NATS
// stream instead of listening on the ingest bus (services/unifier/replica/).
// This file only reads the config and wires real implementations together.
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <string>

#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/bus/cluster_config.h"
#include "common/bus/endpoint.h"
#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/service/admin_server.h"
#include "common/service/drain.h"
#include "common/service/metrics.h"
#include "common/service/readiness.h"
#include "common/service/service_gauges.h"
#include "common/service/service_main.h"
#include "common/service/stop_signals.h"
#include "common/service/systemd_notify.h"
#include "common/bus/sequence_tracker.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/ingest/ingest_server.h"
#include "services/unifier/metrics/metrics_config.h"
#include "services/unifier/metrics/metrics_service.h"
#include "services/unifier/query/query_server.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/replica/replica_admission.h"
#include "services/unifier/replica/replica_metrics.h"
#include "services/unifier/replica/replica_service.h"
#include "services/unifier/search/search_index.h"
#include "services/unifier/metrics/relationship_gauges.h"
#include "services/unifier/search/search_metrics.h"
#include "services/unifier/store/store.h"
#include "services/unifier/unifier_config.h"
#include "services/unifier/unifier_metrics.h"

namespace {

int Fail(const omnihub::base::Status& s) {
  spdlog::critical("{}", s.ToString());
  return 1;
}

int Serve(const omnihub::config::Config* config, const omnihub::service::Drain& drain, const std::atomic<bool>& stop);

}  // namespace

int main(int argc, char** argv) {
  omnihub::service::StopSignals stop_signals;  // first: every thread started later inherits its mask
  auto started = omnihub::service::StartService(argc, argv, "omnihub-unifier", {}, "[--config PATH]",
                                                omnihub::config::AllSections());
  if (auto* code = std::get_if<int>(&started)) return *code;
  auto& service = std::get<omnihub::service::ServiceStart>(started);

  // On SIGTERM the ingest loop commits and acknowledges the batch in hand and returns; Serve
  // then closes the store. If that takes longer than service.shutdown_timeout_ms (a disk that
  // hangs), the signal thread ends the process: nothing unacknowledged is lost by it.
  std::atomic<bool> stop{false};
  std::atomic<bool> served{false};
  omnihub::base::SystemClock clock;
  omnihub::service::Drain drain(clock, std::chrono::milliseconds(service.config.service.shutdown_timeout_ms));
  drain.Track("ingest batch commit and store close", [&served] { return served.load() ? 0 : 1; });
  stop_signals.WaitInBackground([&](int) {
    drain.Begin();
    spdlog::info("stopping: committing the batch in hand, then closing the store, within {} ms",
                 drain.timeout().count());
    stop.store(true);
    if (auto drained = drain.WaitIdle(); !drained.ok()) {
      spdlog::error("stopped uncleanly: {}; abandoned the batch being committed (not acknowledged: its publishers "
                    "resend it) and the store's close (RocksDB recovers from its log at the next start)",
                    drained.message());
      spdlog::default_logger()->flush();
      std::_Exit(1);
    }
  });
  const int code = Serve(&service.config, drain, stop);
  served.store(true);
  if (code == 0) spdlog::info("stopped cleanly");
  return code;
}

namespace {

// Everything the unifier runs, from opening the store to closing it; returns main's exit code.
int Serve(const omnihub::config::Config* config, const omnihub::service::Drain& drain, const std::atomic<bool>& stop) {
  const auto& uc = config->Get<omnihub::unifier::UnifierConfig>();
  const auto& cluster = config->Get<omnihub::bus::ClusterConfig>();

  for (const auto* endpoint : {&config->bus.ingest, &config->bus.changes, &config->bus.query}) {
    if (auto s = omnihub::bus::PrepareEndpointDirectory(*endpoint); !s.ok()) return Fail(s);
  }

  // The admin listener starts first, so that probes see "alive, not ready" while the store
  // recovers. Declared after `store` so that it stops before the store closes.
  std::unique_ptr<omnihub::unifier::Store> store;
  std::unique_ptr<omnihub::unifier::search::SearchIndex> search;  // its metrics render on the admin listener
  std::unique_ptr<omnihub::unifier::metrics::MetricsService> relationship;  // [metrics]; null when disabled
  std::atomic<bool> store_open{false};
  std::atomic<bool> sockets_bound{false};
  omnihub::service::Registry registry;
  omnihub::unifier::UnifierMetrics metrics(registry);
  omnihub::service::Readiness readiness;
  readiness.Add("store", [&]() -> omnihub::base::Status {
    if (!store_open.load()) return omnihub::base::Status::Unavailable("the store " + uc.db_dir + " is not open yet");
    uint64_t stopped = 0;
    if (store->db()->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped) && stopped != 0) {
      return omnihub::base::Status::Unavailable("RocksDB has stopped writes (write stall)");
    }
    return omnihub::base::Status::Ok();
  });
  readiness.Add("sockets", [&]() -> omnihub::base::Status {
    if (!sockets_bound.load()) return omnihub::base::Status::Unavailable("ingest and query sockets are not bound yet");
    return omnihub::base::Status::Ok();
  });
  // Cluster mode: ready only while the replica keeps up with its stream and agrees with its peers.
  std::unique_ptr<omnihub::unifier::replica::ReplicaMetrics> replica_metrics;
  if (cluster.enabled) {
    replica_metrics = std::make_unique<omnihub::unifier::replica::ReplicaMetrics>(registry, uc.replica_ready_lag);
    readiness.Add("replica", [&] { return replica_metrics->Ready(); });
  }
  omnihub::service::AddDrainReadiness(readiness, drain);
  omnihub::service::AddServiceGauges(registry, readiness, uc.db_dir);
  omnihub::service::AdminServer admin(uc.admin_listen, registry, readiness);
  if (auto s = admin.StartIfListening("unifier.admin_listen"); !s.ok()) return Fail(s);

  auto opened = omnihub::unifier::Store::Open(uc.db_dir);
  if (!opened.ok()) return Fail(opened.status());
  store = std::move(*opened);
  omnihub::unifier::AddStoreMetrics(registry, *store);
  store_open.store(true);

  // The clock times resends and batches only: what apply writes takes no time from it.
  omnihub::base::SystemClock clock;
  omnihub::event::IdentityNormalizer normalizer(config->identity.default_region);
  omnihub::bus::SequenceTracker tracker(clock);
  omnihub::unifier::replica::ReplicaAdmission replica_admission;
  // One apply path for both modes; only what admits frames differs (ingest/frame_admission.h).
  auto processor_ptr =
      cluster.enabled
          ? std::make_unique<omnihub::unifier::BatchProcessor>(*store, normalizer, replica_admission, uc.credit)
          : std::make_unique<omnihub::unifier::BatchProcessor>(*store, normalizer, tracker, uc.credit);
  omnihub::unifier::BatchProcessor& processor = *processor_ptr;
  if (auto s = processor.Init(); !s.ok()) return Fail(s);

  // The full-text index follows the change log on a thread of its own: ingest never waits for it.
  omnihub::unifier::search::SearchIndexOptions search_options;
  search_options.dir = uc.search_dir;
  search_options.max_limit = uc.page_max;
  auto opened_index = omnihub::unifier::search::SearchIndex::Open(*store, normalizer, search_options);
  if (!opened_index.ok()) return Fail(opened_index.status());
  search = std::move(*opened_index);
  omnihub::unifier::search::AddSearchMetrics(registry, *store, *search);
  search->Start();

  // The relationship metrics follow the change log on a thread of their own too (docs/metrics.md).
  const auto& mc = config->Get<omnihub::unifier::metrics::MetricsConfig>();
  if (mc.enabled) {
    omnihub::unifier::metrics::MetricsServiceOptions metrics_options;
    metrics_options.dir = mc.dir;
    auto settings = omnihub::unifier::metrics::SettingsFromConfig(mc);
    if (!settings.ok()) return Fail(settings.status());
    metrics_options.settings = std::move(*settings);
    auto opened_metrics = omnihub::unifier::metrics::MetricsService::Open(*store, std::move(metrics_options));
    if (!opened_metrics.ok()) return Fail(opened_metrics.status());
    relationship = std::move(*opened_metrics);
    relationship->Start();
    omnihub::unifier::AddRelationshipMetrics(registry, *store, *relationship);
  }

  zmq::context_t ctx(1);
  omnihub::unifier::QueryService query_service(*store, normalizer, {50, uc.page_max}, search.get(), nullptr,
                                               relationship.get());
  omnihub::unifier::QueryServer query_server(ctx, query_service);
  if (auto s = query_server.Bind(config->bus.query); !s.ok()) return Fail(s);
  std::unique_ptr<omnihub::unifier::IngestServer> ingest;
  std::unique_ptr<omnihub::unifier::ChangePublisher> replica_changes;
  std::unique_ptr<omnihub::unifier::replica::ReplicaService> replica;
  if (cluster.enabled) {
    replica_changes = std::make_unique<omnihub::unifier::ChangePublisher>(ctx);
    if (auto s = replica_changes->Bind(config->bus.changes); !s.ok()) return Fail(s);
    omnihub::unifier::replica::ReplicaServiceOptions options;
    options.partition = uc.partition;
    options.replica_id = omnihub::unifier::ReplicaIdOf(uc);
    options.batch_max_frames = uc.batch_max_events;
    options.digest_every = uc.digest_every;
    options.query_endpoint = config->bus.query;
    options.admin_url = uc.admin_listen.empty() ? "" : "http://" + uc.admin_listen;
    auto connected = omnihub::unifier::replica::ReplicaService::Connect(cluster, *store, processor, replica_admission,
                                                                        normalizer, clock, metrics, *replica_metrics,
                                                                        options);
    if (!connected.ok()) return Fail(connected.status());
    replica = std::move(*connected);
  } else {
    ingest = std::make_unique<omnihub::unifier::IngestServer>(ctx, processor, uc.batch_max_events, clock, metrics);
    if (auto s = ingest->Bind(config->bus.ingest, config->bus.changes); !s.ok()) return Fail(s);
  }
  query_server.Start();
  sockets_bound.store(true);

  const auto& c = processor.counters();
  spdlog::info("serving: ingest {} changes {} query {}; {} events, {} customers, {} dead letters in {}",
               cluster.enabled ? "partition " + std::to_string(uc.partition) + " of the cluster" : config->bus.ingest, config->bus.changes, config->bus.query, c.events, c.customers, c.dead_letters,
               uc.db_dir);
  // The moment /readyz first passes: the store is open and the ingest and query sockets are bound.
  omnihub::service::NotifyReady("serving: " + std::to_string(c.events) + " events, " +
                                std::to_string(c.customers) + " customers");
  omnihub::base::Status run =
      replica != nullptr
          ? replica->Run(stop, [&](const auto& changes) { replica_changes->Publish(changes); })
          : ingest->Run(stop);
  query_server.Stop();
  admin.Stop();
  search->Stop();
  if (relationship != nullptr) relationship->Stop();
  if (!run.ok()) return Fail(run);
  return 0;
}

}  // namespace
