// What every endpoint of omnihub-api is built from: the config, the hub (queries), the
// durable sink (the API's outbox: ingested events, notes and agent commands), the command
// client, the token store, the live change hubs (one per partition) and where writes went in the log. main.cc / api_service.cc build the real
// ones; unit tests build them over fakes (a canned QueryTransport, an OutboxEventSink), so an
// endpoint's logic runs without sockets.
//
// Thread-safety: every member is thread-safe; the references outlive every request.
#pragma once

#include "common/base/env.h"
#include "common/base/uuid.h"
#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"
#include "common/bus/query_transport.h"
#include "common/config/config.h"
#include "common/event/identity.h"
#include "services/api/api_config.h"
#include "services/api/auth/sessions.h"
#include "services/api/auth/token_store.h"
#include "services/api/core/write_position.h"

namespace omnihub::api {

class CommandClient;  // core/command_client.h
namespace stream {
class PartitionHubs;  // stream/partition_hubs.h
}

struct ApiServices {
  const config::Config& config;
  const ApiConfig& api;
  bus::QueryTransport& hub;   // thread-safe (bus::QueryClientPool)
  bus::EventSink& sink;       // append durably (the API's outbox), then publish
  bus::Outbox& outbox;        // meta read back: idempotency records
  CommandClient& commands;    // graph, suggestion and erasure commands
  auth::TokenStore& tokens;
  const auth::SessionSigner& sessions;  // console cookies and CSRF tokens
  stream::PartitionHubs& changes;  // the change hub of a tenant's partition
  const event::IdentityNormalizer& normalizer;
  base::UuidV7Generator& ids;
  base::Clock& clock;
  // Cluster mode: where the writes went in the partition log (core/write_position.h).
  WritePositions writes;
};

}  // namespace omnihub::api
