// The publisher's ZeroMQ adapter: a background thread that owns a DEALER socket
// connected to the unifier's ROUTER (config bus.ingest) and drives a
// PublisherCore with what happens on it: sends the frames the core releases,
// feeds it the Acks that come back, reconnects and timer ticks.
// See docs/bus-protocol.md.
//
// Socket behaviour relied on (libzmq 4.3): with ZMQ_IMMEDIATE=1 a DEALER with
// no completed connection refuses a non-blocking send (EAGAIN) instead of
// queueing it, so frames wait in the outbox, not in a pipe that a disconnect
// would silently drop; after a reconnect the socket monitor reports
// ZMQ_EVENT_HANDSHAKE_SUCCEEDED and the core resends everything unacknowledged.
//
// It is the EventSink the adapters get in production on one host (common/bus/event_sink.h);
// the appending side and the acknowledged sequence are OutboxPublisher's.
//
// Thread-safety: Append, Publish, WaitForAck and acked may be called from any thread;
// the sockets are only touched by the sender thread.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/outbox.h"
#include "common/bus/outbox_publisher.h"
#include "common/bus/publisher_core.h"

namespace omnihub::bus {

class ZmqPublisher final : public OutboxPublisher {
 public:
  // Starts the sender thread, connecting to `endpoint` (reconnecting on its own
  // for as long as the publisher lives). `ctx`, `outbox` and `clock` must outlive
  // it. A setup failure (malformed endpoint, no eventfd) is reported by status()
  // and makes Publish fail.
  ZmqPublisher(zmq::context_t& ctx, std::string endpoint, Outbox& outbox, base::Clock& clock, PublisherOptions options);
  // Stops and joins the thread and closes the sockets (linger 0). Entries not yet
  // acknowledged stay in the outbox and are sent by the next publisher on it.
  ~ZmqPublisher() override;

  // For readiness checks: OK while a connection to the unifier is up and, with entries
  // waiting, the unifier acknowledged something (or the connection was made) within
  // `max_ack_silence_us`; otherwise Unavailable saying which. Thread-safe and cheap.
  base::Status BusStatus(int64_t max_ack_silence_us) const override;

 private:
  void Run();
  void ReceiveAcks(PublisherCore& core);
  void HandleMonitorEvents(PublisherCore& core);
  // Sends what the core releases; returns true if it may release more right away.
  bool SendFrames(PublisherCore& core, bool* blocked);
  void CloseSockets();

  const std::string endpoint_;

  // Created by the constructor, used and closed only by the sender thread after it starts.
  std::optional<zmq::socket_t> socket_;
  std::optional<zmq::socket_t> monitor_;

  std::atomic<bool> stop_{false};
  // Written by the sender thread, read by BusStatus from any thread.
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

}  // namespace omnihub::bus
