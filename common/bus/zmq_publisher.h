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
// It is the EventSink the adapters get in production (common/bus/event_sink.h).
//
// Thread-safety: Append, Publish, WaitForAck and acked may be called from any thread;
// the sockets are only touched by the sender thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/eventfd_signal.h"
#include "common/config/config.h"
#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"
#include "common/bus/publisher_core.h"
#include "common/base/status.h"

namespace omnihub::service {
class Counter;  // common/service/metrics.h
}  // namespace omnihub::service

namespace omnihub::bus {

// The options every publisher process takes from its config's [publisher] section.
PublisherOptions PublisherOptionsFrom(const config::PublisherConfig& config);
// A publisher's outbox options from [publisher]: timed by `clock` (metrics, and how long
// acknowledged entries are kept: keep_acked_hours).
OutboxOptions OutboxOptionsFrom(const config::PublisherConfig& config, base::Clock& clock);

// How long a publisher with entries waiting may go without an ack before its readiness check
// fails: a few resend timeouts, and at least 10 s so a busy unifier is not called down.
int64_t MaxAckSilenceUs(const PublisherOptions& options);

class ZmqPublisher final : public EventSink {
 public:
  // Starts the sender thread, connecting to `endpoint` (reconnecting on its own
  // for as long as the publisher lives). `ctx`, `outbox` and `clock` must outlive
  // it. A setup failure (malformed endpoint, no eventfd) is reported by status()
  // and makes Publish fail.
  ZmqPublisher(zmq::context_t& ctx, std::string endpoint, Outbox& outbox, base::Clock& clock, PublisherOptions options);
  // Stops and joins the thread and closes the sockets (linger 0). Entries not yet
  // acknowledged stay in the outbox and are sent by the next publisher on it.
  ~ZmqPublisher() override;

  // EventSink: Outbox::Append (durable when it returns OK), then wakes the sender thread.
  // Fails with status() when the constructor failed.
  base::Result<std::vector<uint64_t>> Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                             std::vector<std::string> meta_deletes) override;
  // EventSink: Outbox::AppendAsync, waking the sender thread before `done` runs. The
  // destructor waits for the appends still in the outbox's queue.
  void AppendAsync(std::vector<OutboxItem> items, MetaPuts meta_puts, std::vector<std::string> meta_deletes,
                   AppendDone done) override;
  // Append, for callers that publish events only or keep no state (tools, omnihubctl).
  base::Result<std::vector<uint64_t>> Publish(std::vector<OutboxItem> items, MetaPuts meta_puts = {},
                                              std::vector<std::string> meta_deletes = {}) {
    return Append(std::move(items), std::move(meta_puts), std::move(meta_deletes));
  }

  // Blocks until every sequence <= `sequence` is acknowledged (true) or the
  // timeout passes (false).
  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout);

  // Highest cumulative ack received (starts at the outbox's acked_through()).
  uint64_t acked() const { return acked_.load(); }
  const base::Status& status() const { return status_; }
  // For readiness checks: OK while a connection to the unifier is up and, with entries
  // waiting, the unifier acknowledged something (or the connection was made) within
  // `max_ack_silence_us`; otherwise Unavailable saying which. Thread-safe and cheap.
  base::Status BusStatus(int64_t max_ack_silence_us) const;
  const std::string& publisher_id() const { return outbox_.publisher_id(); }

 private:
  void Run();
  // The counters each item of an append will count once it is durable (none without metrics).
  std::vector<service::Counter*> CountersFor(const std::vector<OutboxItem>& items) const;
  // After an append: wakes the sender and counts, or counts the failure.
  void Appended(bool ok, const std::vector<service::Counter*>& counts);
  void ReceiveAcks(PublisherCore& core);
  void HandleMonitorEvents(PublisherCore& core);
  // Sends what the core releases; returns true if it may release more right away.
  bool SendFrames(PublisherCore& core, bool* blocked);
  void PublishAcked(uint64_t acked);
  void LogErrorRateLimited(const std::string& message);  // at most one line per second
  void CloseSockets();

  const std::string endpoint_;
  Outbox& outbox_;
  base::Clock& clock_;
  const PublisherOptions options_;
  base::Status status_;  // immutable after construction

  // Created by the constructor, used and closed only by the sender thread after it starts.
  std::optional<zmq::socket_t> socket_;
  std::optional<zmq::socket_t> monitor_;
  std::optional<base::EventFdSignal> wake_;

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> acked_;
  std::mutex ack_mu_;  // pairs with ack_cv_; acked_ is stored under it
  std::condition_variable ack_cv_;
  int64_t last_error_log_us_ = 0;  // sender thread only
  // Written by the sender thread, read by BusStatus from any thread.
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> last_progress_us_{0};  // the last ack received, or the last connection made
  std::thread thread_;
};

}  // namespace omnihub::bus
