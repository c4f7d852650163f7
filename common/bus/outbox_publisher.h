// What every sender of an outbox shares, whatever it sends over: the EventSink side
// (append durably, count, wake the sender thread), the acknowledged sequence that
// WaitForAck waits on, and rate-limited error logging. The sender thread and what it
// sends to are the subclass's: ZmqPublisher (one host, the ZeroMQ bus) and LogPublisher
// (cluster mode, the partition log; common/bus/log_sender/). Both drive a PublisherCore,
// which keeps the outbox/ack/resend bookkeeping.
//
// Thread-safety: Append, AppendAsync, Publish, WaitForAck, acked and BusStatus may be
// called from any thread; the protected helpers marked so are for the sender thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/base/env.h"
#include "common/base/eventfd_signal.h"
#include "common/base/status.h"
#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"
#include "common/bus/publisher_core.h"
#include "common/config/config.h"

namespace omnihub::service {
class Counter;  // common/service/metrics.h
}  // namespace omnihub::service

namespace omnihub::bus {

class OutboxPublisher : public EventSink {
 public:
  ~OutboxPublisher() override = default;

  // EventSink: Outbox::Append (durable when it returns OK), then wakes the sender thread.
  // Fails with status() when the constructor failed.
  base::Result<std::vector<uint64_t>> Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                             std::vector<std::string> meta_deletes) override;
  // EventSink: Outbox::AppendAsync, waking the sender thread before `done` runs. The
  // subclass's destructor waits for the appends still in the outbox's queue (StopAppends).
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
  // For readiness checks: OK while what the publisher sends to is reachable and, with
  // entries waiting, something was acknowledged within `max_ack_silence_us`; otherwise
  // Unavailable saying which. Thread-safe and cheap.
  virtual base::Status BusStatus(int64_t max_ack_silence_us) const = 0;
  const std::string& publisher_id() const { return outbox_.publisher_id(); }

 protected:
  // `outbox` and `clock` must outlive the publisher. A failure to make the wake-up signal
  // is kept in status() (and makes Append fail); the subclass checks it before starting.
  OutboxPublisher(Outbox& outbox, base::Clock& clock, PublisherOptions options);

  // The subclass's destructor calls it first: the callbacks of appends still queued use
  // this object.
  void StopAppends() { outbox_.WaitIdle(); }
  // Sender thread: makes `acked` what acked() and WaitForAck see.
  void PublishAcked(uint64_t acked);
  // Sender thread: at most one error line per second.
  void LogErrorRateLimited(const std::string& message);
  // The ack-silence half of BusStatus: Unavailable when entries wait and nothing was
  // acknowledged (nor a connection made) for longer than `max_ack_silence_us`. `peer`
  // names what should have answered ("the unifier at tcp://...").
  base::Status AckSilenceStatus(int64_t max_ack_silence_us, const std::string& peer) const;

  Outbox& outbox_;
  base::Clock& clock_;
  const PublisherOptions options_;
  base::Status status_;  // set by constructors only
  std::optional<base::EventFdSignal> wake_;
  // Written by the sender thread, read by BusStatus from any thread: the last ack
  // received, or the last connection made.
  std::atomic<int64_t> last_progress_us_{0};

 private:
  // The counters each item of an append will count once it is durable (none without metrics).
  std::vector<service::Counter*> CountersFor(const std::vector<OutboxItem>& items) const;
  // After an append: wakes the sender and counts, or counts the failure.
  void Appended(bool ok, const std::vector<service::Counter*>& counts);

  std::atomic<uint64_t> acked_;
  std::mutex ack_mu_;  // pairs with ack_cv_; acked_ is stored under it
  std::condition_variable ack_cv_;
  int64_t last_error_log_us_ = 0;  // sender thread only
};

// The options every publisher process takes from its config's [publisher] section.
PublisherOptions PublisherOptionsFrom(const config::PublisherConfig& config);
// A publisher's outbox options from [publisher]: timed by `clock` (metrics, and how long
// acknowledged entries are kept: keep_acked_hours).
OutboxOptions OutboxOptionsFrom(const config::PublisherConfig& config, base::Clock& clock);

// How long a publisher with entries waiting may go without an ack before its readiness check
// fails: a few resend timeouts, and at least 10 s so a busy unifier is not called down.
int64_t MaxAckSilenceUs(const PublisherOptions& options);

}  // namespace omnihub::bus
