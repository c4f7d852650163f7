// Every series omnihub-social exposes on its admin listener (GET /metrics), in one place; see
// docs/operations.md. Besides these, main.cc adds the outbox gauges (AddOutboxGauges).
//
// Thread-safety: metric handles are thread-safe.
#pragma once

#include "common/http/server_metrics.h"
#include "common/bus/publisher_metrics.h"
#include "common/service/metrics.h"

namespace omnihub::social {

struct SocialMetrics {
  explicit SocialMetrics(service::Registry& registry) : publisher(registry), http(registry) {}

  // omnihub_events_accepted_total{channel="messenger"|"instagram"|"whatsapp"|"telegram"|"x"}, omnihub_events_rejected_total,
  // omnihub_publisher_*, omnihub_outbox_append_failures_total.
  bus::PublisherMetrics publisher;
  // omnihub_http_requests_total{code} (403 failed authentication, 404 unknown account, 400 bad payload, 413 too large,
  // 503 outbox unavailable, 408 timeout ...), omnihub_http_request_duration_seconds.
  http::HttpServerMetrics http;
};

}  // namespace omnihub::social
