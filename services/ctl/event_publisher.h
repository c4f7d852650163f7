// What omnihubctl inject, deadletter replay and the commands publish through: the durable
// publisher over an outbox of theirs, and the acknowledgements that say the unifier committed.
// omnihubctl uses ZmqPublisher (config bus.ingest) on one host and, in cluster mode, the
// LogPublisher to the partition log (acknowledged by a replica, docs/cluster.md); unit tests
// a fake that appends to the outbox and acknowledges as they script, so no socket is needed.
//
// Thread-safety: as ZmqPublisher (Publish, WaitForAck and acked from any thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/cluster_config.h"
#include "common/bus/outbox.h"
#include "common/bus/publisher_core.h"
#include "common/bus/routing/read_position.h"

namespace omnihub::ctl {

class EventPublisher {
 public:
  virtual ~EventPublisher() = default;

  // Durably appends `items` (and `meta_puts`) to the outbox, then sends them.
  // Returns their sequences, in order.
  virtual base::Result<std::vector<uint64_t>> Publish(std::vector<bus::OutboxItem> items,
                                                      std::vector<std::pair<std::string, std::string>> meta_puts) = 0;
  // True once every sequence <= `sequence` is acknowledged; false after `timeout`.
  virtual bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) = 0;
  // Highest cumulative ack received.
  virtual uint64_t acked() const = 0;
  // Where the partition log put the entries `sequences` (cluster mode), waiting up to
  // [cluster] publish_timeout_ms for it to acknowledge them (bus::AppendedPositions::WaitFor);
  // nullopt on one host, whose bus has no positions, and when not known.
  virtual std::optional<bus::ReadPosition> PositionOf(std::span<const uint64_t> /*sequences*/) const {
    return std::nullopt;
  }
};

// Opens a publisher for what is appended to `outbox`, which must outlive it.
using PublisherFactory = std::function<std::unique_ptr<EventPublisher>(bus::Outbox& outbox)>;

// The real one: a ZmqPublisher to `endpoint` (config bus.ingest). `zmq` and `clock` must
// outlive the factory and what it opens.
PublisherFactory ZmqPublisherFactory(zmq::context_t& zmq, std::string endpoint, bus::PublisherOptions options,
                                     base::Clock& clock);

// Cluster mode's: a NatsClusterPublisher per outbox, connected to [cluster] nats_urls when it
// is opened. When no server answers, what it opens fails every Publish with the reason.
// `clock` must outlive the factory and what it opens.
PublisherFactory ClusterPublisherFactory(bus::ClusterConfig cluster, bus::PublisherOptions options, base::Clock& clock);

}  // namespace omnihub::ctl
