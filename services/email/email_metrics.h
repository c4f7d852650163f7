// Every series omnihub-email exposes on its admin listener (GET /metrics), in one place; see
// docs/operations.md. Besides these, main.cc adds the outbox gauges (AddOutboxGauges).
//
// Thread-safety: metric handles are thread-safe.
#pragma once

#include "common/base/env.h"
#include "common/bus/publisher_metrics.h"
#include "common/service/metrics.h"
#include "services/email/smtp/smtp_metrics.h"

namespace omnihub::email {

struct EmailMetrics {
  EmailMetrics(service::Registry& registry, base::Clock& clock) : publisher(registry), smtp(registry, clock) {}

  // omnihub_events_accepted_total{channel="email"}, omnihub_events_rejected_total,
  // omnihub_publisher_*, omnihub_outbox_append_failures_total.
  bus::PublisherMetrics publisher;
  // omnihub_smtp_*.
  SmtpMetrics smtp;
};

}  // namespace omnihub::email
