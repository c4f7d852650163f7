// Everything omnihub-api serves with, built on the webhook adapter kit's parts (outbox,
// publisher, workers, router; common/service/webhook_adapter.h): the query pool and the change
// hubs on the unifier's sockets (in cluster mode: routed to replicas, one hub per partition
// that has a stream), the token store and session signer, the authenticator, the command
// client, and every route of endpoints/. Destroying it stops the change hubs first, so no
// stream is written to once the rest is gone.
//
// Thread-safety: built and destroyed on main's thread; serves on the workers.
#pragma once

#include <memory>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/secure_random.h"
#include "common/bus/nats/cluster_query.h"
#include "common/bus/routing/tenant_query_transport.h"
#include "common/bus/zmq_change_feed.h"
#include "common/service/webhook_adapter.h"
#include "services/api/api_config.h"
#include "services/api/auth/authenticator.h"
#include "services/api/auth/rate_limiter.h"
#include "services/api/auth/sessions.h"
#include "services/api/auth/token_store.h"
#include "services/api/core/api_routes.h"
#include "services/api/core/api_services.h"
#include "services/api/core/command_client.h"
#include "services/api/stream/partition_hubs.h"

namespace omnihub::api {

class ApiService {
 public:
  // Builds everything and adds the routes to parts.router.
  static base::Result<std::unique_ptr<ApiService>> Build(const ApiConfig& api, service::WebhookAdapterParts& parts);
  ~ApiService();

 private:
  ApiService(const ApiConfig& api, service::WebhookAdapterParts& parts, std::string session_key,
             std::unique_ptr<zmq::context_t> zmq, std::unique_ptr<bus::nats::ClusterQuery> cluster);

  base::SecureRandom random_;  // token secrets and login codes
  std::unique_ptr<zmq::context_t> zmq_;
  // Cluster mode: queries go to replicas (docs/cluster.md "Query routing and failover") and the
  // live feed follows the change log through them; one host: the unifier's sockets.
  std::unique_ptr<bus::nats::ClusterQuery> cluster_;
  std::unique_ptr<bus::QueryTransport> single_hub_;
  bus::QueryTransport& hub_;
  // hub_ with each query's tenant set from the request's route (`tenant`): what the endpoints
  // and the command client ask through. The change hubs read partitions through hub_.
  bus::TenantQueryTransport tenant_hub_;
  // One host: the unifier's change publisher. Cluster mode: none (LogPolledChangeFeed), shared by
  // every partition's hub.
  std::unique_ptr<bus::ChangeFeed> feed_;
  auth::TokenStore tokens_;
  auth::SessionSigner sessions_;
  auth::RateLimiter limiter_;
  auth::Authenticator authenticator_;
  DurableCommandClient commands_;
  stream::PartitionHubs changes_;
  ApiServices services_;
  ApiRoutes routes_;
};

}  // namespace omnihub::api
