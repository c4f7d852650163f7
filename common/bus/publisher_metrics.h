// The publishing side's series (adapters and anything else with an outbox), registered by the
// process into its registry and handed to the publisher through PublisherOptions::metrics.
// docs/operations.md describes each.
//
// Thread-safety: the members are thread-safe metric handles.
#pragma once

#include "common/bus/outbox.h"
#include "common/service/metrics.h"

namespace omnihub::bus {

struct PublisherMetrics {
  explicit PublisherMetrics(service::Registry& registry);

  // The counter a successful Publish of `item` increments: accepted{channel} for an event,
  // rejected for an input kept as a dead letter.
  service::Counter& CounterFor(const OutboxItem& item);

  service::CounterFamily& accepted;         // events made durable in the outbox, by channel
  service::Counter& rejected;               // inputs the adapter could not normalize (dead letters)

  // From a frame's first send to the cumulative ack covering it (commit in the unifier included).
  service::Histogram& ack_latency;
  service::Counter& acked;                  // frames acknowledged
  service::CounterFamily& resends;          // rewinds that resent frames in flight, by reason
  service::Counter& resend_requests;        // acks asking for a resend (the unifier saw a gap)
  service::Counter& append_failures;        // Publish calls whose outbox append failed
  service::Gauge& connected;                // 1 while a connection to the unifier is up
};

// Gauges read from `outbox` at scrape time: entries waiting for an ack, and the age of the
// oldest. `outbox` must stay open for as long as `registry` is rendered.
void AddOutboxGauges(service::Registry& registry, const Outbox& outbox);

}  // namespace omnihub::bus
