#include "common/bus/publisher_core.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace omnihub::bus {

PublisherCore::PublisherCore(Outbox& outbox, base::Clock& clock, PublisherOptions options)
    : outbox_(outbox),
      clock_(clock),
      options_(options),
      acked_(outbox.trimmed_through()),
      next_to_send_(acked_ + 1),
      credit_(options.window),
      timer_start_us_(clock.MonotonicMicros()) {}

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
  if (next_to_send_ == acked_ + 1) timer_start_us_ = clock_.MonotonicMicros();
  next_to_send_ = expected;
  return entries;
}

void PublisherCore::Unsent(uint64_t sequence) {
  if (sequence > acked_ && sequence < next_to_send_) next_to_send_ = sequence;
}

void PublisherCore::OnAck(const v1::Ack& ack) {
  if (ack.publisher_id() != outbox_.publisher_id()) {
    spdlog::debug("publisher {}: ignoring an ack for {}", outbox_.publisher_id(), ack.publisher_id());
    return;
  }
  if (ack.protocol_version() != v1::BusVersion::CURRENT) {
    spdlog::warn("publisher {}: ignoring an ack with protocol version {}", outbox_.publisher_id(),
                 ack.protocol_version());
    return;
  }
  const uint64_t cumulative = ack.cumulative_ack();
  if (cumulative < acked_) {
    // Acks only grow on one connection and the unifier's marks are durable, so a
    // resend request from below acked_ means the unifier lost its database.
    if (ack.resend()) {
      spdlog::warn("publisher {}: unifier asks to resend from {} but {} is already acknowledged; ignored",
                   outbox_.publisher_id(), cumulative + 1, acked_);
    }
    return;
  }
  if (cumulative > outbox_.last_sequence()) {
    spdlog::error("publisher {}: protocol error: ack {} beyond the last sequence {}", outbox_.publisher_id(),
                  cumulative, outbox_.last_sequence());
    return;
  }
  const int64_t now = clock_.MonotonicMicros();
  probe_ = false;
  credit_ = ack.credit();
  if (cumulative > acked_) {
    acked_ = cumulative;
    timer_start_us_ = now;
    if (next_to_send_ <= acked_) next_to_send_ = acked_ + 1;
    base::Status trimmed = outbox_.Trim(cumulative);
    // A failed trim only means these entries are resent after a restart.
    if (!trimmed.ok()) spdlog::warn("publisher {}: {}", outbox_.publisher_id(), trimmed.ToString());
  }
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
    Rewind("resend requested");
  }
}

void PublisherCore::OnTick() {
  const int64_t now = clock_.MonotonicMicros();
  if (AllAcked()) {
    timer_start_us_ = now;
    return;
  }
  if (now - timer_start_us_ < options_.resend_timeout_us) return;
  Rewind("ack timeout");
  probe_ = true;
}

void PublisherCore::OnReconnect() {
  credit_ = options_.window;
  probe_ = false;
  Rewind("reconnected");
}

void PublisherCore::Rewind(const char* why) {
  if (next_to_send_ > acked_ + 1) {
    spdlog::info("publisher {}: {}, resending from {} (was at {})", outbox_.publisher_id(), why, acked_ + 1,
                 next_to_send_);
  }
  next_to_send_ = acked_ + 1;
  timer_start_us_ = clock_.MonotonicMicros();
  ++rewinds_;
}

}  // namespace omnihub::bus
