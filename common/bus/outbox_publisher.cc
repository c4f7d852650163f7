#include "common/bus/outbox_publisher.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/bus/publisher_metrics.h"

namespace omnihub::bus {

OutboxOptions OutboxOptionsFrom(const config::PublisherConfig& config, base::Clock& clock) {
  OutboxOptions options;
  options.clock = &clock;
  options.keep_acked_us = int64_t{config.keep_acked_hours} * 3600 * 1'000'000;
  return options;
}

PublisherOptions PublisherOptionsFrom(const config::PublisherConfig& config) {
  PublisherOptions options;
  options.window = config.window;
  options.resend_timeout_us = int64_t{config.resend_timeout_ms} * 1000;
  return options;
}

int64_t MaxAckSilenceUs(const PublisherOptions& options) {
  return std::max<int64_t>(10'000'000, 3 * options.resend_timeout_us);
}

OutboxPublisher::OutboxPublisher(Outbox& outbox, base::Clock& clock, PublisherOptions options)
    : outbox_(outbox), clock_(clock), options_(options), acked_(outbox.acked_through()) {
  base::Result<base::EventFdSignal> wake = base::EventFdSignal::Create();
  if (!wake.ok()) {
    status_ = wake.status();
    return;
  }
  wake_.emplace(std::move(*wake));
}

std::vector<service::Counter*> OutboxPublisher::CountersFor(const std::vector<OutboxItem>& items) const {
  std::vector<service::Counter*> counts;
  if (options_.metrics == nullptr) return counts;
  counts.reserve(items.size());
  for (const OutboxItem& item : items) counts.push_back(&options_.metrics->CounterFor(item));
  return counts;
}

void OutboxPublisher::Appended(bool ok, const std::vector<service::Counter*>& counts) {
  if (ok) {
    wake_->Notify();
    for (service::Counter* c : counts) c->Increment();
  } else if (options_.metrics != nullptr) {
    options_.metrics->append_failures.Increment();
  }
}

base::Result<std::vector<uint64_t>> OutboxPublisher::Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                                            std::vector<std::string> meta_deletes) {
  if (!status_.ok()) return status_;
  const std::vector<service::Counter*> counts = CountersFor(items);
  base::Result<std::vector<uint64_t>> sequences =
      outbox_.Append(std::move(items), std::move(meta_puts), std::move(meta_deletes));
  Appended(sequences.ok(), counts);
  return sequences;
}

void OutboxPublisher::AppendAsync(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                  std::vector<std::string> meta_deletes, AppendDone done) {
  if (!status_.ok()) return done(status_);
  std::vector<service::Counter*> counts = CountersFor(items);  // before `items` moves away
  outbox_.AppendAsync(std::move(items), std::move(meta_puts), std::move(meta_deletes),
                      [this, counts = std::move(counts), done = std::move(done)](
                          base::Result<std::vector<uint64_t>> sequences) {
                        Appended(sequences.ok(), counts);
                        done(std::move(sequences));
                      });
}

base::Status OutboxPublisher::AckSilenceStatus(int64_t max_ack_silence_us, const std::string& peer) const {
  const size_t waiting = outbox_.pending();
  const int64_t silence = clock_.MonotonicMicros() - last_progress_us_.load();
  if (waiting > 0 && silence > max_ack_silence_us) {
    return base::Status::Unavailable("connected to " + peer + " but no ack for " +
                                     std::to_string(silence / 1'000'000) + " s with " + std::to_string(waiting) +
                                     " entries waiting");
  }
  return base::Status::Ok();
}

bool OutboxPublisher::WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(ack_mu_);
  return ack_cv_.wait_for(lock, timeout, [&] { return acked_.load() >= sequence; });
}

void OutboxPublisher::PublishAcked(uint64_t acked) {
  if (acked == acked_.load()) return;
  {
    std::lock_guard lock(ack_mu_);
    acked_.store(acked);
  }
  ack_cv_.notify_all();
}

void OutboxPublisher::LogErrorRateLimited(const std::string& message) {
  const int64_t now = clock_.MonotonicMicros();
  if (now - last_error_log_us_ < 1'000'000) return;
  last_error_log_us_ = now;
  spdlog::error("publisher {}: {}", outbox_.publisher_id(), message);
}

}  // namespace omnihub::bus
