#include "services/unifier/replica/replica_service.h"

#include <thread>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_cluster_options.h"
#include "services/unifier/store/state_digest.h"

namespace omnihub::unifier::replica {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the operator reads when the stream under the replica is not the one it applied.
base::Status StopForHistory(const base::Status& s, const std::string& replica_id) {
  return base::Status::FailedPrecondition(
      "replica " + replica_id + " stops: " + s.message() +
      ". It will not apply another history of its partition, and it fails the same way at every start: "
      "rebuild it from a peer's backup (docs/cluster.md, \"Unifier replicas\")");
}

}  // namespace

base::Result<std::unique_ptr<ReplicaService>> ReplicaService::Connect(const bus::ClusterConfig& cluster, Store& store,
                                                                      BatchProcessor& processor,
                                                                      ReplicaAdmission& admission,
                                                                      const event::IdentityNormalizer& normalizer,
                                                                      base::Clock& clock,
                                                                      UnifierMetrics& unifier_metrics,
                                                                      ReplicaMetrics& metrics,
                                                                      ReplicaServiceOptions options) {
  std::unique_ptr<ReplicaService> service(new ReplicaService());
  service->store_ = &store;
  service->admission_ = &admission;
  service->metrics_ = &metrics;
  service->options_ = options;
  auto connection_options = bus::nats::ConnectionOptionsFrom(cluster, "omnihub-unifier " + options.replica_id);
  if (!connection_options.ok()) return connection_options.status();
  auto connection = bus::nats::NatsConnection::Connect(*connection_options);
  if (!connection.ok()) return connection.status();
  service->connection_ = std::move(*connection);
  OMNIHUB_RETURN_IF_ERROR(bus::CheckPartition(options.partition, cluster.partitions));
  service->log_ = std::make_unique<bus::nats::NatsPartitionLog>(*service->connection_, bus::nats::LogOptionsFrom(cluster));
  service->blob_store_ =
      std::make_unique<bus::nats::NatsBlobStore>(*service->connection_, bus::nats::BlobStoreOptionsFrom(cluster));
  service->blobs_ = std::make_unique<NatsBlobSource>(*service->blob_store_);
  service->acks_ = std::make_unique<NatsAckPublisher>(*service->connection_);
  auto registry = NatsReplicaRegistry::Open(*service->connection_, static_cast<int>(cluster.replicas));
  if (!registry.ok()) return registry.status();
  service->registry_ = std::move(*registry);
  service->applier_ = std::make_unique<ReplicaApplier>(
      processor, admission, normalizer, service->blobs_.get(), *service->acks_, clock, unifier_metrics,
      ApplierOptions{options.partition, options.replica_id, options.batch_max_frames, options.digest_every});
  service->checkpoint_digest_ = std::make_unique<BackgroundDigest>(store);
  service->entry_.replica_id = options.replica_id;
  service->entry_.partition = options.partition;
  service->entry_.query_endpoint = options.query_endpoint;
  service->entry_.admin_url = options.admin_url;
  return service;
}

base::Status ReplicaService::Run(const std::atomic<bool>& stop,
                                 const std::function<void(const std::vector<v1::ChangeNotification>&)>& on_changes) {
  const std::string stream = bus::nats::PartitionStreamName(options_.partition);
  std::unique_ptr<bus::PartitionLogReader> reader;
  while (reader == nullptr && !stop.load()) {
    auto opened = log_->OpenReader(options_.partition, admission_->cursor().ReadStart());
    if (opened.ok()) {
      reader = std::move(*opened);
    } else if (opened.status().code() == base::StatusCode::kUnavailable) {
      spdlog::warn("{} is unavailable, trying again: {}", stream, opened.status().message());
      metrics_->LogUnavailable();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    } else if (opened.status().code() == base::StatusCode::kFailedPrecondition) {
      return StopForHistory(opened.status(), options_.replica_id);
    } else {
      return opened.status();
    }
  }
  if (reader == nullptr) return base::Status::Ok();
  spdlog::info("replica {} applies {} from position {}", options_.replica_id, stream, reader->next_position());

  while (!stop.load()) {
    auto step = applier_->Step(*reader, std::chrono::milliseconds(200));
    bool idle = false;
    if (!step.ok()) {
      const base::Status& s = step.status();
      if (s.code() == base::StatusCode::kFailedPrecondition) return StopForHistory(s, options_.replica_id);
      if (s.code() != base::StatusCode::kUnavailable && s.code() != base::StatusCode::kNotFound &&
          s.code() != base::StatusCode::kCorruption) {
        return s;  // the store's: exit, the supervisor restarts, nothing unsynced was acked
      }
      // The stream or a blob cannot be read now: the frames wait (never applied without their blobs).
      spdlog::warn("replica {}: {}; trying again", options_.replica_id, s.message());
      if (s.message().find("blob ") == 0) {
        metrics_->BlobFetchFailed();
      } else {
        metrics_->LogUnavailable();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } else {
      idle = step->frames == 0 && !step->checkpoint.has_value();
      if (!step->changes.empty()) on_changes(step->changes);
      metrics_->Applied(applier_->applied_position());
      if (step->checkpoint.has_value()) StartCheckpointDigest(*step->checkpoint);
    }
    OMNIHUB_RETURN_IF_ERROR(CollectCheckpointDigest());
    if (std::chrono::steady_clock::now() - last_report_ >= options_.registry_interval) {
      OMNIHUB_RETURN_IF_ERROR(Report(idle));
    }
  }
  return base::Status::Ok();
}

base::Status ReplicaService::Report(bool idle) {
  last_report_ = std::chrono::steady_clock::now();
  const ReplicaCursor& cursor = admission_->cursor();
  entry_.applied_position = cursor.position;
  entry_.stream_created_ns = cursor.created_ns;
  auto state = log_->State(options_.partition);
  if (!state.ok()) {
    spdlog::warn("replica {}: stream state: {}", options_.replica_id, state.status().message());
    return base::Status::Ok();  // reported again next time
  }
  metrics_->Observe(cursor.position, state->last_position);
  const bool caught_up = cursor.position >= state->last_position;
  if (idle && caught_up && cursor.position > entry_.digest_position &&
      last_report_ - last_digest_ >= options_.digest_interval) {
    // Nothing is applied meanwhile (this thread applies), so the digest is of `cursor.position`.
    auto digest = ComputeStateDigest(*store_);
    if (!digest.ok()) return digest.status();
    last_digest_ = last_report_;
    RecordDigest(cursor.position, *digest);
  }
  entry_.updated_ms = NowMs();
  if (auto s = registry_->Put(entry_); !s.ok()) {
    spdlog::warn("replica {}: registry: {}", options_.replica_id, s.message());
    return base::Status::Ok();
  }
  auto peers = registry_->List(options_.partition);
  if (!peers.ok()) {
    spdlog::warn("replica {}: registry: {}", options_.replica_id, peers.status().message());
    return base::Status::Ok();
  }
  if (auto divergence = FindDivergence(entry_, digests_, *peers)) {
    metrics_->Diverged();
    const std::string what = divergence->Describe(options_.replica_id);
    spdlog::critical("{}", what);
    return base::Status::FailedPrecondition(what + "; it stops: rebuild the wrong replica from a good peer "
                                                   "(docs/cluster.md, \"Unifier replicas\")");
  }
  return base::Status::Ok();
}

void ReplicaService::StartCheckpointDigest(uint64_t position) {
  if (!checkpoint_digest_->Start(position)) {
    // Only when a scan takes longer than digest_every positions take to apply: the peers then
    // compare at the next checkpoint this replica digests.
    spdlog::info("replica {}: no digest at checkpoint {}: the previous one is still being computed",
                 options_.replica_id, position);
  }
}

base::Status ReplicaService::CollectCheckpointDigest() {
  auto finished = checkpoint_digest_->TakeFinished();
  if (!finished.has_value()) return base::Status::Ok();
  if (!finished->digest.ok()) return finished->digest.status();  // the store's: stop, as for an apply error
  RecordDigest(finished->position, *finished->digest);
  return base::Status::Ok();
}

void ReplicaService::RecordDigest(uint64_t position, const StateDigest& digest) {
  digests_.Record(position, digest.digest);
  if (position > entry_.digest_position) {
    entry_.digest_position = position;
    entry_.digest = digest.digest;
    metrics_->DigestComputed(position);
  }
  // Each column family's too (their first 12 hex digits): when two replicas part, the two
  // logs' lines at one position say where.
  std::string families;
  for (const auto& [name, hex] : digest.column_families) {
    families += (families.empty() ? "" : " ") + name + "=" + hex.substr(0, 12);
  }
  spdlog::info("replica {}: digest at position {}: {} ({})", options_.replica_id, position, digest.digest, families);
}

}  // namespace omnihub::unifier::replica
