#include "services/api/api_service.h"

#include <spdlog/spdlog.h>

#include "common/bus/routing/log_polled_change_feed.h"
#include "common/bus/routing/partition_query_transport.h"
#include "common/event/tenant_id.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

// Cluster mode: the hub of one partition, with the transport that pins its reads of the
// change log to that partition (the routed transport would go by the calling thread's tenant).
class PartitionChangeHub final : public stream::ChangeHub {
 public:
  PartitionChangeHub(const stream::ChangeHubOptions& options, bus::ChangeFeed& feed, bus::QueryTransport& routed,
                     uint32_t partition, base::Clock& clock)
      : transport_(routed, partition), hub_(stream::StartChangeHub(options, feed, transport_, clock)) {}

  void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, stream::ChangeFilter filter) override {
    hub_->Open(std::move(stream), after_seq, std::move(filter));
  }
  uint64_t last_seq() const override { return hub_->last_seq(); }
  void Stop() override { hub_->Stop(); }

 private:
  bus::PartitionQueryTransport transport_;
  std::unique_ptr<stream::ChangeHub> hub_;  // after transport_: stopped and gone before it
};

}  // namespace

base::Result<std::unique_ptr<ApiService>> ApiService::Build(const ApiConfig& api,
                                                            service::WebhookAdapterParts& parts) {
  base::SecureRandom random;
  auth::TokenStore probe(api.token_dir, parts.clock, random);
  auto key = probe.SessionKey();
  if (!key.ok()) return key.status().WithContext("api.token_dir");
  auto zmq = std::make_unique<zmq::context_t>(1);
  std::unique_ptr<bus::nats::ClusterQuery> cluster;
  if (const auto& c = parts.config.Get<bus::ClusterConfig>(); c.enabled) {
    auto started = bus::nats::ClusterQuery::Start(c, *zmq, "omnihub-api", bus::QueryRoute{});
    if (!started.ok()) return started.status().WithContext("cluster mode");
    cluster = std::move(*started);
  }
  std::unique_ptr<ApiService> service(new ApiService(api, parts, std::move(*key), std::move(zmq), std::move(cluster)));
  OMNIHUB_RETURN_IF_ERROR(AddAllRoutes(service->routes_, service->services_));
  return service;
}

ApiService::ApiService(const ApiConfig& api, service::WebhookAdapterParts& parts, std::string session_key,
                       std::unique_ptr<zmq::context_t> zmq, std::unique_ptr<bus::nats::ClusterQuery> cluster)
    : zmq_(std::move(zmq)),
      cluster_(std::move(cluster)),
      single_hub_(cluster_ ? nullptr : std::make_unique<bus::QueryClientPool>(*zmq_, parts.config.bus.query)),
      hub_(cluster_ ? cluster_->transport() : *single_hub_),
      tenant_hub_(hub_, std::string(event::kDefaultTenant)),
      feed_(cluster_ ? std::unique_ptr<bus::ChangeFeed>(std::make_unique<bus::LogPolledChangeFeed>())
                     : std::make_unique<bus::ZmqChangeFeed>(*zmq_, parts.config.bus.changes)),
      tokens_(api.token_dir, parts.clock, random_),
      sessions_(std::move(session_key)),
      limiter_(parts.clock, api.rate_limit_per_s, api.rate_limit_burst),
      authenticator_(tokens_, sessions_, limiter_, parts.clock),
      commands_(parts.sink, tenant_hub_, parts.ids, parts.clock, WritePositions::FromConfig(parts.config, parts.positions)),
      changes_(
          [this](std::string_view tenant) -> base::Result<uint32_t> {
            // One host is one partition, whatever the tenant.
            return cluster_ ? cluster_->partitions().PartitionOf(tenant) : base::Result<uint32_t>(0u);
          },
          [this, options = stream::ChangeHubOptions{.heartbeat_s = api.sse_heartbeat_s, .replay_max = api.sse_replay_max},
           &clock = parts.clock](uint32_t partition) -> std::unique_ptr<stream::ChangeHub> {
            if (!cluster_) return stream::StartChangeHub(options, *feed_, hub_, clock);
            return std::make_unique<PartitionChangeHub>(options, *feed_, hub_, partition, clock);
          }),
      services_{parts.config, api,    tenant_hub_, parts.sink, parts.outbox, commands_,   tokens_,
                sessions_,    changes_, parts.normalizer, parts.ids,  parts.clock,
                WritePositions::FromConfig(parts.config, parts.positions)},
      routes_(parts.router, authenticator_, parts.workers) {
  // The default tenant's partition is followed from the start, as before tenants; the others
  // from their first stream.
  if (auto s = changes_.Warm(event::kDefaultTenant); !s.ok()) {
    spdlog::warn("live changes: the default tenant's partition is not followed yet ({}); its first stream will",
                 s.ToString());
  }
}

ApiService::~ApiService() { changes_.Stop(); }

}  // namespace omnihub::api
