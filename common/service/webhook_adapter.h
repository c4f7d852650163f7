// What every HTTP webhook adapter's main builds around its own handler (omnihub-sms,
// omnihub-social, omnihub-api): the outbox and the durable publisher behind it (adapter_publisher.h), the worker
// pool for work that must block (the API's hub queries, the SMS multi-part store; webhooks
// answer from the outbox's commit, common/service/webhook_reply.h), the admin listener with the adapter readiness checks and
// the shared metrics, and the HTTP server on the adapter's routes; then it waits for SIGINT or
// SIGTERM and stops them in the order that loses nothing. The adapter only says which config
// keys it uses and adds its routes (common/bus/event_sink.h describes the pattern).
//
// Thread-safety: RunWebhookAdapter runs on main's thread and returns when the service stops.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "common/bus/event_sink.h"
#include "common/bus/log_sender/appended_positions.h"
#include "common/bus/outbox.h"
#include "common/bus/publisher_metrics.h"
#include "common/config/config.h"
#include "common/event/identity.h"
#include "common/http/router.h"
#include "common/http/server_metrics.h"
#include "common/service/adapter_purge.h"
#include "common/service/metrics.h"

namespace omnihub::service {

// Every series a webhook adapter exposes on its admin listener (GET /metrics), besides the
// outbox gauges: docs/operations.md.
struct WebhookAdapterMetrics {
  explicit WebhookAdapterMetrics(Registry& registry) : publisher(registry), http(registry) {}

  // omnihub_events_accepted_total{channel}, omnihub_events_rejected_total,
  // omnihub_publisher_*, omnihub_outbox_append_failures_total.
  bus::PublisherMetrics publisher;
  // omnihub_http_requests_total{code} (403 failed authentication, 404 unknown account, 400 bad
  // request, 413 too large, 503 outbox unavailable, 408 timeout ...),
  // omnihub_http_request_duration_seconds.
  http::HttpServerMetrics http;
};

// The adapter's section of the config, as far as the shared part needs it.
struct WebhookAdapterConfig {
  std::string section;       // "sms": names the keys in messages ("sms.listen")
  std::string outbox_id;     // the outbox's publisher id prefix ("sms")
  std::string listen;        // the webhook listener; empty refuses to start
  std::string outbox_dir;
  std::string admin_listen;  // "" = no admin listener
  uint32_t max_body_bytes = 1 << 20;
  bool access_log = true;
  size_t worker_threads = 64;  // requests that may block at once (the API's hub queries, Vonage's multi-part store)
  bool access_log_query = true;  // false: query strings are logged as "?..." (http::HttpServerOptions)
};

// What an adapter's handler is built from. Every reference lives until RunWebhookAdapter
// returns, longer than the handler.
struct WebhookAdapterParts {
  const config::Config& config;
  bus::EventSink& sink;  // the publisher: append durably, then send
  bus::Outbox& outbox;   // for adapter state read back from it (Outbox::GetMeta, ScanMeta)
  const event::IdentityNormalizer& normalizer;
  base::UuidV7Generator& ids;
  base::Clock& clock;
  base::WorkerPool& workers;
  http::HttpRouter& router;
  // POST /purge of the admin listener: an adapter with pending state naming identities
  // (SMS multi-part parts) sets its dropper here (adapter_purge.h).
  AdapterPurge& purge;
  // Cluster mode: where the partition log put each outbox entry (read-your-writes tokens,
  // docs/cluster.md); nullptr on one host.
  const bus::AppendedPositions* positions = nullptr;
};

// Builds the adapter's handler, adds its routes to parts.router and returns what must stay
// alive while requests are served (the handler and whatever it uses). Its failure stops the
// service with that message.
using BuildWebhookHandler = std::function<base::Result<std::shared_ptr<void>>(WebhookAdapterParts& parts)>;

// Runs the adapter until SIGINT/SIGTERM; main's exit code (0 after a clean stop, 1 when
// something could not start, with the reason logged).
int RunWebhookAdapter(const config::Config& config, const WebhookAdapterConfig& adapter,
                      const BuildWebhookHandler& build);

}  // namespace omnihub::service
