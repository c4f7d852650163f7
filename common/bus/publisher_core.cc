#include "common/bus/publisher_core.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/bus/publisher_metrics.h"

namespace omnihub::bus {

PublisherCore::PublisherCore(Outbox& outbox, base::Clock& clock, PublisherOptions options)
    : outbox_(outbox),
      clock_(clock),
      options_(options),
      acked_(outbox.acked_through()),
      next_to_send_(acked_ + 1),
      credit_(options.window),
      timer_start_us_(clock.MonotonicMicros()),
      highest_sent_(acked_) {}

base::Result<std::vector<OutboxEntry>> PublisherCore::TakeFramesToSend(size_t max_batch) {
  uint64_t allowance = std::min(options_.window, credit_);
  if (probe_ && allowance == 0) allowance = 1;
  const uint64_t limit = std::min(acked_ + allowance, outbox_.last_sequence());
  if (max_batch == 0 || next_to_send_ > limit) return std::vector<OutboxEntry>{};
  const uint64_t count = std::min<uint64_t>(max_batch, limit - next_to_send_ + 1);
  base::Result<std::vector<OutboxEntry>> entries = outbox_.ReadFrom(next_to_send_, static_cast<size_t>(count));
  if (!entries.ok()) return entries.status();
  // Only this core trims, and only through acked_, so every entry after it exists.
  uint64_t expected = next_to_send_;
  for (const OutboxEntry& entry : *entries) {
    if (entry.sequence != expected) {
      return base::Status::Internal("publisher: outbox entry " + std::to_string(expected) + " is missing");
    }
    ++expected;
  }
  if (entries->empty()) return entries;
  // The first frame in flight starts the timeout; with frames already in flight it
  // keeps running from the last progress.
  const int64_t now = clock_.MonotonicMicros();
  if (next_to_send_ == acked_ + 1) timer_start_us_ = now;
  if (expected - 1 > highest_sent_) {
    send_marks_.push_back({std::max(next_to_send_, highest_sent_ + 1), expected - 1, now});
    highest_sent_ = expected - 1;
  }
  next_to_send_ = expected;
  return entries;
}

void PublisherCore::Unsent(uint64_t sequence) {
  if (sequence > acked_ && sequence < next_to_send_) next_to_send_ = sequence;
}

bool PublisherCore::Accepts(const v1::Ack& ack) const {
  if (ack.publisher_id() != outbox_.publisher_id()) {
    spdlog::debug("publisher {}: ignoring an ack for {}", outbox_.publisher_id(), ack.publisher_id());
    return false;
  }
  if (ack.protocol_version() != v1::BusVersion::CURRENT) {
    spdlog::warn("publisher {}: ignoring an ack with protocol version {}", outbox_.publisher_id(),
                 ack.protocol_version());
    return false;
  }
  return true;
}

void PublisherCore::OnAck(const v1::Ack& ack) {
  if (!Accepts(ack)) return;
  const uint64_t cumulative = ack.cumulative_ack();
  if (cumulative < acked_) {
    // Acks only grow on one connection and the unifier's marks are durable, so a resend
    // request from below acked_ means the unifier's mark went back: its store was restored
    // from a backup (or lost). What the outbox still keeps of it is sent again.
    if (ack.resend()) GoBackTo(cumulative, ack.credit());
    return;
  }
  if (cumulative > outbox_.last_sequence()) {
    spdlog::error("publisher {}: protocol error: ack {} beyond the last sequence {}", outbox_.publisher_id(),
                  cumulative, outbox_.last_sequence());
    return;
  }
  const int64_t now = clock_.MonotonicMicros();
  probe_ = false;
  if (options_.acks_grant_credit) credit_ = ack.credit();
  if (ack.resend() && options_.metrics != nullptr) options_.metrics->resend_requests.Increment();
  if (cumulative > acked_) Advance(cumulative, now);
  if (ack.resend()) {
    // The unifier asks once per gap it sees, rate-limited; frames already in flight
    // behind the gap cause more requests for the same mark, which one rewind serves.
    if (resent_on_request_ && last_resend_request_ack_ == cumulative &&
        now - last_resend_request_us_ < options_.resend_timeout_us) {
      return;
    }
    resent_on_request_ = true;
    last_resend_request_ack_ = cumulative;
    last_resend_request_us_ = now;
    Rewind("resend requested", "resend_requested");
  }
}

void PublisherCore::AckThrough(uint64_t cumulative) {
  if (cumulative <= acked_) return;
  if (cumulative > outbox_.last_sequence()) {
    spdlog::error("publisher {}: acks cover {} beyond the last sequence {}", outbox_.publisher_id(), cumulative,
                  outbox_.last_sequence());
    return;
  }
  probe_ = false;
  Advance(cumulative, clock_.MonotonicMicros());
}

void PublisherCore::Advance(uint64_t cumulative, int64_t now) {
  RecordAcked(cumulative, now);
  acked_ = cumulative;
  timer_start_us_ = now;
  if (next_to_send_ <= acked_) next_to_send_ = acked_ + 1;
  base::Status trimmed = outbox_.Trim(cumulative);
  // A failed trim only means these entries are resent after a restart.
  if (!trimmed.ok()) spdlog::warn("publisher {}: {}", outbox_.publisher_id(), trimmed.ToString());
}

void PublisherCore::GoBackTo(uint64_t cumulative, uint32_t credit) {
  if (cumulative < outbox_.trimmed_through()) {
    spdlog::error("publisher {}: unifier asks to resend from {} but the outbox kept entries only from {}: "
                  "entries {}..{} are lost to it (restore a backup younger than publisher.keep_acked_hours)",
                  outbox_.publisher_id(), cumulative + 1, outbox_.trimmed_through() + 1, cumulative + 1,
                  outbox_.trimmed_through());
    return;
  }
  spdlog::warn("publisher {}: unifier's mark went back from {} to {} (a restored store): resending from {}",
               outbox_.publisher_id(), acked_, cumulative, cumulative + 1);
  if (options_.metrics != nullptr) options_.metrics->resend_requests.Increment();
  acked_ = cumulative;
  if (options_.acks_grant_credit) credit_ = credit;
  probe_ = false;
  send_marks_.clear();  // their ack latencies would count from the first send
  resent_on_request_ = true;
  last_resend_request_ack_ = cumulative;
  last_resend_request_us_ = clock_.MonotonicMicros();
  Rewind("unifier's mark went back", "resend_requested");
}

void PublisherCore::OnTick() {
  const int64_t now = clock_.MonotonicMicros();
  if (AllAcked()) {
    timer_start_us_ = now;
    return;
  }
  if (now - timer_start_us_ < options_.resend_timeout_us) return;
  Rewind("ack timeout", "ack_timeout");
  probe_ = true;
}

void PublisherCore::OnReconnect() {
  credit_ = options_.window;
  probe_ = false;
  Rewind("reconnected", "reconnected");
  // With acknowledged entries kept, the last one goes first: a unifier that has it skips it
  // as a duplicate, one restored from an older backup sees a gap and asks for what it lacks,
  // even when nothing new is waiting to be sent.
  if (acked_ > outbox_.trimmed_through()) next_to_send_ = acked_;
}

void PublisherCore::RecordAcked(uint64_t cumulative, int64_t now) {
  if (options_.metrics != nullptr) options_.metrics->acked.Increment(cumulative - acked_);
  while (!send_marks_.empty() && send_marks_.front().first <= cumulative) {
    SendMark& mark = send_marks_.front();
    const uint64_t through = std::min(mark.last, cumulative);
    if (options_.metrics != nullptr) {
      options_.metrics->ack_latency.Observe(static_cast<double>(now - mark.sent_us) / 1e6, through - mark.first + 1);
    }
    if (through < mark.last) {
      mark.first = through + 1;
      break;
    }
    send_marks_.pop_front();
  }
}

void PublisherCore::Rewind(const char* why, const char* reason) {
  if (next_to_send_ > acked_ + 1) {
    spdlog::info("publisher {}: {}, resending from {} (was at {})", outbox_.publisher_id(), why, acked_ + 1,
                 next_to_send_);
    if (options_.metrics != nullptr) options_.metrics->resends.With({reason}).Increment();
  }
  next_to_send_ = acked_ + 1;
  timer_start_us_ = clock_.MonotonicMicros();
  ++rewinds_;
}

}  // namespace omnihub::bus
