#include "services/api/api_service.h"

#include "common/bus/routing/log_polled_change_feed.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {

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
      feed_(cluster_ ? std::unique_ptr<bus::ChangeFeed>(std::make_unique<bus::LogPolledChangeFeed>())
                     : std::make_unique<bus::ZmqChangeFeed>(*zmq_, parts.config.bus.changes)),
      tokens_(api.token_dir, parts.clock, random_),
      sessions_(std::move(session_key)),
      limiter_(parts.clock, api.rate_limit_per_s, api.rate_limit_burst),
      authenticator_(tokens_, sessions_, limiter_, parts.clock),
      commands_(parts.sink, hub_, parts.ids, parts.clock, WritePositions::FromConfig(parts.config, parts.positions)),
      changes_(stream::StartChangeHub({.heartbeat_s = api.sse_heartbeat_s, .replay_max = api.sse_replay_max}, *feed_,
                                      hub_, parts.clock)),
      services_{parts.config, api,    hub_,        parts.sink, parts.outbox, commands_,   tokens_,
                sessions_,    *changes_, parts.normalizer, parts.ids,  parts.clock,
                WritePositions::FromConfig(parts.config, parts.positions)},
      routes_(parts.router, authenticator_, parts.workers) {}

ApiService::~ApiService() { changes_->Stop(); }

}  // namespace omnihub::api
