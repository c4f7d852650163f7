// Which publisher sends an adapter's outbox (omnihub-email, -sms, -social, and omnihub-api's
// command outbox): on one host ([cluster] enabled = false, the default) the ZmqPublisher to
// bus.ingest, exactly as before; in cluster mode the NatsClusterPublisher, which appends to
// the partition log and trims on the replicas' acks (docs/cluster.md, "Adapters in cluster
// mode"). Either way the adapter sees an OutboxPublisher (an EventSink with readiness).
//
// Thread-safety: built and destroyed on main's thread; the publisher is thread-safe.
#pragma once

#include <memory>
#include <string>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/log_sender/nats_cluster_publisher.h"
#include "common/bus/outbox.h"
#include "common/bus/outbox_publisher.h"
#include "common/bus/zmq_publisher.h"
#include "common/config/config.h"
#include "common/service/metrics.h"

namespace omnihub::service {

class AdapterPublisher {
 public:
  // `process` names the process to the NATS servers. Every reference must outlive the
  // publisher. In cluster mode: Unavailable when no NATS server answers, InvalidArgument
  // for a [cluster] section that cannot be used. On one host it fails only as
  // ZmqPublisher does (status()).
  static base::Result<std::unique_ptr<AdapterPublisher>> Start(const config::Config& config, std::string process,
                                                               zmq::context_t& zmq_ctx, bus::Outbox& outbox,
                                                               base::Clock& clock, bus::PublisherOptions options,
                                                               Registry& registry);

  bus::OutboxPublisher& get() { return *publisher_; }
  // Where the partition log put each entry (cluster mode); nullptr on one host, whose bus has
  // no positions.
  const bus::AppendedPositions* positions() const {
    return cluster_ ? &cluster_->publisher().positions() : nullptr;
  }

 private:
  AdapterPublisher() = default;

  std::unique_ptr<bus::ZmqPublisher> zmq_;
  std::unique_ptr<bus::NatsClusterPublisher> cluster_;
  bus::OutboxPublisher* publisher_ = nullptr;
};

}  // namespace omnihub::service
