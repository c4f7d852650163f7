#include "common/bus/log_sender/log_publisher.h"

#include <poll.h>

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/bus/publisher_metrics.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {
namespace {

// How often an idle sender refreshes omnihub_publisher_connected.
constexpr int kIdleCheckMs = 1000;

}  // namespace

PublisherOptions LogPublisher::WithoutCredit(PublisherOptions options) {
  options.acks_grant_credit = false;
  return options;
}

LogSenderOptions LogPublisher::WithPositions(LogSenderOptions options, AppendedPositions& positions) {
  options.positions = &positions;
  return options;
}

LogPublisher::LogPublisher(Outbox& outbox, base::Clock& clock, PublisherOptions options, LogPublisherParts parts,
                           LogSenderOptions sender_options, ShardMapCacheOptions shard_map_options)
    : OutboxPublisher(outbox, clock, WithoutCredit(options)),
      parts_(std::move(parts)),
      shard_map_(parts_.shard_map, clock, shard_map_options),
      sender_(outbox, clock, options_, parts_.log, shard_map_, parts_.blobs, WithPositions(sender_options, positions_),
              [this](const std::string& message) { LogErrorRateLimited(message); }) {
  if (!status_.ok()) return;
  last_progress_us_.store(clock_.MonotonicMicros());
  thread_ = std::thread([this] { Run(); });
}

LogPublisher::~LogPublisher() {
  StopAppends();
  stop_.store(true);
  if (thread_.joinable()) {
    wake_->Notify();
    thread_.join();
  }
}

void LogPublisher::DeliverAck(std::string_view bytes) {
  {
    std::lock_guard lock(acks_mu_);
    acks_.emplace_back(bytes);
  }
  if (wake_) wake_->Notify();
}

base::Status LogPublisher::BusStatus(int64_t max_ack_silence_us) const {
  if (!status_.ok()) return status_;
  if (base::Status reachable = parts_.log_status(); !reachable.ok()) return reachable;
  return AckSilenceStatus(max_ack_silence_us, parts_.log_name);
}

void LogPublisher::ReceiveAcks() {
  std::vector<std::string> acks;
  {
    std::lock_guard lock(acks_mu_);
    acks.swap(acks_);
  }
  for (const std::string& bytes : acks) {
    v1::Ack ack;
    if (!ack.ParseFromString(bytes)) {
      spdlog::warn("publisher {}: ignoring an unparsable ack ({} bytes)", outbox_.publisher_id(), bytes.size());
      continue;
    }
    const uint64_t before = sender_.core().acked();
    sender_.OnAck(ack);
    // Progress is an ack that moved the mark; a replica repeating an old one (or one of a
    // partition that has not caught up) is not.
    if (sender_.core().acked() > before) last_progress_us_.store(clock_.MonotonicMicros());
  }
  PublishAcked(sender_.core().acked());
}

void LogPublisher::Run() {
  const int tick_ms = static_cast<int>(std::clamp<int64_t>(options_.resend_timeout_us / 4000, 1, 100));
  bool more = false;  // the last round was full: go on at once
  while (!stop_.load()) {
    pollfd wake{.fd = wake_->fd(), .events = POLLIN, .revents = 0};
    // Idle (everything acknowledged), only an append or an ack changes anything, and
    // both wake the poll, but the connection gauge is refreshed every second; otherwise
    // the tick drives resends and entries held back.
    const int timeout = more ? 0 : sender_.core().AllAcked() ? kIdleCheckMs : tick_ms;
    if (::poll(&wake, 1, timeout) > 0) wake_->Drain();
    if (stop_.load()) break;
    if (options_.metrics != nullptr) options_.metrics->connected.Set(parts_.log_status().ok() ? 1 : 0);
    ReceiveAcks();
    sender_.OnTick();
    more = sender_.SendRound();
  }
}

}  // namespace omnihub::bus
