// The sending side of the bus protocol as a state machine without sockets: which
// outbox entries to send next (flow control), what an Ack does (trim, credit,
// resend requests), and when to start over from the last acknowledged sequence
// (reconnect, ack timeout). ZmqPublisher drives it from its sender thread, and so does
// cluster mode's LogSender (common/bus/log_sender/); unit tests drive it directly with a
// ManualClock. See docs/bus-protocol.md.
//
// Sequences: everything <= acked() is acknowledged (and trimmed); sequences in
// (acked(), next_to_send()) are in flight; from next_to_send() on they wait.
// A rewind moves next_to_send() back to acked() + 1 so everything unacknowledged
// is sent again; the unifier drops the duplicates by sequence.
//
// Thread-safety: none; one thread drives it. The Outbox may be appended to
// concurrently by other threads (new entries simply become sendable).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "common/base/env.h"
#include "common/bus/outbox.h"
#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {

struct PublisherMetrics;  // common/bus/publisher_metrics.h

struct PublisherOptions {
  // At most this many frames beyond the last acknowledged sequence are in flight,
  // whatever credit the unifier grants.
  uint32_t window = 4096;
  // With frames outstanding and no ack progress for this long, resend them.
  int64_t resend_timeout_us = 2'000'000;
  // Where acks, ack latencies and resends are counted; nullptr = not counted. Not owned;
  // must outlive the publisher.
  PublisherMetrics* metrics = nullptr;
  // (Last, so that the aggregate initializers {window, timeout, metrics} in use keep their
  // meaning.) Whether an Ack's credit limits what is in flight (the unifier's flow control on one
  // host). A replica's ack in cluster mode carries none (credit 0): there the window alone
  // bounds what is in flight, and the partition log's own limits push back.
  bool acks_grant_credit = true;
};

class PublisherCore {
 public:
  // `outbox` and `clock` must outlive the core. Starts from the outbox's
  // acked_through(): anything after it may not have reached the unifier.
  PublisherCore(Outbox& outbox, base::Clock& clock, PublisherOptions options);
  PublisherCore(const PublisherCore&) = delete;
  PublisherCore& operator=(const PublisherCore&) = delete;

  // Frames that may be sent now, in sequence order: the next unsent entries, at
  // most max_batch, and never beyond acked() + min(window, credit). They count as
  // in flight from now on. An outbox read error is returned and nothing changes.
  base::Result<std::vector<OutboxEntry>> TakeFramesToSend(size_t max_batch);

  // The transport could not send `sequence` (EAGAIN) nor, therefore, any later
  // frame of the same batch: they are offered again by TakeFramesToSend.
  void Unsent(uint64_t sequence);

  // Applies an Ack: trims the outbox through cumulative_ack, takes its credit, and
  // on resend = true rewinds to cumulative_ack + 1 (at most once per resend
  // timeout for the same cumulative_ack, since a gap produces a burst of them).
  // Ignored: acks for another publisher id or protocol version, acks below
  // acked(), and acks beyond the last appended sequence (a protocol error; logged).
  // A resend request below acked() means the unifier's mark went back (its store was
  // restored from a backup): acked() goes back to it and sending restarts after it, as far
  // as the outbox still keeps acknowledged entries (Outbox keep_acked_us); below that it is
  // logged as an error and ignored.
  void OnAck(const v1::Ack& ack);

  // Whether `ack` is for this publisher and speaks this protocol version (logged when not).
  bool Accepts(const v1::Ack& ack) const;
  // Cluster mode, where no single ack says how far to trim (LogSender combines the acks of
  // several partitions): every entry <= `cumulative` is applied. Trims through it as an ack
  // would; ignored at or below acked() and beyond the last appended sequence (logged).
  void AckThrough(uint64_t cumulative);

  // Call periodically. With unacknowledged entries and no ack progress for the
  // resend timeout, rewinds, and lets one frame through even when the credit is
  // zero (a probe, so a lost credit update cannot stall the stream forever).
  void OnTick();

  // The connection was (re)established: frames sent on the old one may be lost.
  // Rewinds and forgets the old connection's credit. When the outbox keeps acknowledged
  // entries, the last acknowledged one is sent again first, so that a unifier restored
  // from a backup learns at once that its mark is behind.
  void OnReconnect();

  uint64_t acked() const { return acked_; }
  uint64_t next_to_send() const { return next_to_send_; }
  uint32_t credit() const { return credit_; }
  // Everything appended so far is acknowledged.
  bool AllAcked() const { return acked_ >= outbox_.last_sequence(); }
  // How many times sending started over (metrics and tests).
  uint64_t rewinds() const { return rewinds_; }

 private:
  // Frames first sent together: the ack latency of each runs from `sent_us`.
  struct SendMark {
    uint64_t first;
    uint64_t last;
    int64_t sent_us;
  };

  void Rewind(const char* why, const char* reason);
  // Moves acked_ up to `cumulative` (> acked_): ack latencies, the resend timer, the trim.
  void Advance(uint64_t cumulative, int64_t now);
  // A resend request from below acked_ (see OnAck), with the ack's credit.
  void GoBackTo(uint64_t cumulative, uint32_t credit);
  // Observes the ack latency of the frames in (acked_, cumulative].
  void RecordAcked(uint64_t cumulative, int64_t now);

  Outbox& outbox_;
  base::Clock& clock_;
  const PublisherOptions options_;
  uint64_t acked_;
  uint64_t next_to_send_;
  uint32_t credit_;            // from the last ack; options_.window until one arrives
  bool probe_ = false;         // OnTick allowed one frame beyond a zero credit
  int64_t timer_start_us_;     // the resend timeout runs from here
  bool resent_on_request_ = false;
  uint64_t last_resend_request_ack_ = 0;  // cumulative_ack of the last honoured resend request
  int64_t last_resend_request_us_ = 0;
  uint64_t rewinds_ = 0;
  uint64_t highest_sent_;             // frames <= this had their first send
  std::deque<SendMark> send_marks_;   // unacknowledged first sends, in sequence order
};

}  // namespace omnihub::bus
