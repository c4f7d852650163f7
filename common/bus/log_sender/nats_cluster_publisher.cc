#include "common/bus/log_sender/nats_cluster_publisher.h"

#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_cluster_options.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/nats/nats_status.h"
#include "common/service/metrics.h"

namespace omnihub::bus {
namespace {

// How long stopping waits for an ack callback still running.
constexpr int64_t kDrainTimeoutMs = 2000;

std::string Joined(const std::vector<std::string>& urls) {
  std::string out;
  for (const auto& url : urls) out += (out.empty() ? "" : ",") + url;
  return out;
}

}  // namespace

// Declared in the order they are built; destroyed the other way round: the subscription
// first (no ack arrives for a publisher going away), the connection last.
struct NatsClusterPublisher::Parts {
  std::unique_ptr<nats::NatsConnection> connection;
  std::unique_ptr<nats::NatsShardMap> shard_map;
  std::optional<nats::NatsBlobStore> blob_store;
  std::optional<nats::NatsPartitionLog> log;
  std::optional<NatsShardMapSource> shard_map_source;
  std::optional<NatsBlobSink> blob_sink;
  std::optional<LogPublisher> publisher;
  natsSubscription* acks = nullptr;

  ~Parts() {
    if (acks != nullptr) {
      if (natsSubscription_Drain(acks) == NATS_OK) natsSubscription_WaitForDrainCompletion(acks, kDrainTimeoutMs);
      natsSubscription_Destroy(acks);
    }
  }
};

base::Result<std::optional<uint32_t>> NatsShardMapSource::Get(std::string_view tenant_id) {
  return map_.Get(tenant_id);
}

base::Result<std::string> NatsBlobSink::Put(std::string_view bytes) { return store_.Put(bytes); }

NatsClusterPublisher::NatsClusterPublisher(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
NatsClusterPublisher::~NatsClusterPublisher() = default;
LogPublisher& NatsClusterPublisher::publisher() { return *parts_->publisher; }

base::Result<std::unique_ptr<NatsClusterPublisher>> NatsClusterPublisher::Start(
    const ClusterConfig& cluster, std::string name, Outbox& outbox, base::Clock& clock, PublisherOptions options,
    service::Registry* registry) {
  base::Result<nats::NatsConnectionOptions> connection_options = nats::ConnectionOptionsFrom(cluster, std::move(name));
  if (!connection_options.ok()) return connection_options.status();
  auto parts = std::make_unique<Parts>();
  base::Result<std::unique_ptr<nats::NatsConnection>> connection = nats::NatsConnection::Connect(*connection_options);
  if (!connection.ok()) return connection.status();
  parts->connection = std::move(*connection);
  nats::NatsConnection& conn = *parts->connection;
  base::Result<std::unique_ptr<nats::NatsShardMap>> shard_map =
      nats::NatsShardMap::Open(conn, nats::ShardMapOptionsFrom(cluster));
  if (!shard_map.ok()) return shard_map.status();
  parts->shard_map = std::move(*shard_map);
  parts->blob_store.emplace(conn, nats::BlobStoreOptionsFrom(cluster));
  parts->log.emplace(conn, nats::LogOptionsFrom(cluster));
  parts->shard_map_source.emplace(*parts->shard_map);
  parts->blob_sink.emplace(*parts->blob_store);
  const std::string servers = Joined(cluster.nats_urls);
  natsConnection* raw_connection = conn.connection();
  LogPublisherParts log_parts{
      .log = *parts->log,
      .shard_map = *parts->shard_map_source,
      .blobs = *parts->blob_sink,
      .log_status =
          [raw_connection, servers] {
            if (natsConnection_Status(raw_connection) == NATS_CONN_STATUS_CONNECTED) return base::Status::Ok();
            return base::Status::Unavailable("not connected to NATS at " + servers + " (cluster.nats_urls)");
          },
      .log_name = "the partition log at " + servers};
  LogSenderOptions sender_options;
  if (registry != nullptr) {
    sender_options.appends = &registry->AddCounterFamily(
        "omnihub_publisher_log_appends_total",
        "Appends of outbox entries to the partition log (cluster mode), by outcome: stored, duplicate (the log "
        "had the message id: a resend), failed (tried again).",
        {"outcome"});
  }
  parts->publisher.emplace(outbox, clock, options, std::move(log_parts), sender_options);
  if (!parts->publisher->status().ok()) return parts->publisher->status();
  LogPublisher* publisher = &*parts->publisher;
  const std::string subject = "omni.acks." + outbox.publisher_id();
  natsStatus s = natsConnection_Subscribe(
      &parts->acks, raw_connection, subject.c_str(),
      [](natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
        static_cast<LogPublisher*>(closure)->DeliverAck(
            std::string_view(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg))));
        natsMsg_Destroy(msg);
      },
      publisher);
  if (s != NATS_OK) return nats::NatsError(s, nats::kNoJsError, "subscribe to " + subject);
  if (registry != nullptr) {
    registry->AddGaugeCallback("omnihub_publisher_unmapped_tenant_entries",
                               "Outbox entries held back because the tenant of the first one is not in the shard "
                               "map (cluster mode): it and every later entry wait.",
                               [publisher] { return static_cast<double>(publisher->unmapped_tenant_entries()); });
  }
  spdlog::info("publisher {}: cluster mode, sending to the partition log at {} and taking acks on {}",
               outbox.publisher_id(), servers, subject);
  return std::unique_ptr<NatsClusterPublisher>(new NatsClusterPublisher(std::move(parts)));
}

}  // namespace omnihub::bus
