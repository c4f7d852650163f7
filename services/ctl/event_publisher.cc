#include "services/ctl/event_publisher.h"

#include <utility>

#include "common/bus/log_sender/nats_cluster_publisher.h"
#include "common/bus/zmq_publisher.h"

namespace omnihub::ctl {
namespace {

// An EventPublisher over an OutboxPublisher, which `owner` keeps alive (a ZmqPublisher or
// the NatsClusterPublisher holding a LogPublisher).
class OutboxEventPublisher final : public EventPublisher {
 public:
  // `positions` (nullptr on one host) are waited for up to `position_wait`.
  OutboxEventPublisher(std::shared_ptr<void> owner, bus::OutboxPublisher& publisher,
                       const bus::AppendedPositions* positions, std::chrono::milliseconds position_wait)
      : owner_(std::move(owner)), publisher_(publisher), positions_(positions), position_wait_(position_wait) {}

  base::Result<std::vector<uint64_t>> Publish(std::vector<bus::OutboxItem> items,
                                              std::vector<std::pair<std::string, std::string>> meta_puts) override {
    return publisher_.Publish(std::move(items), std::move(meta_puts));
  }
  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) override {
    return publisher_.WaitForAck(sequence, timeout);
  }
  uint64_t acked() const override { return publisher_.acked(); }
  std::optional<bus::ReadPosition> PositionOf(std::span<const uint64_t> sequences) const override {
    return positions_ == nullptr ? std::nullopt : positions_->WaitFor(sequences, position_wait_);
  }

 private:
  const std::shared_ptr<void> owner_;
  bus::OutboxPublisher& publisher_;
  const bus::AppendedPositions* const positions_;
  const std::chrono::milliseconds position_wait_;
};

// What a publisher that could not start answers: its reason, to every Publish.
class FailedEventPublisher final : public EventPublisher {
 public:
  explicit FailedEventPublisher(base::Status status) : status_(std::move(status)) {}
  base::Result<std::vector<uint64_t>> Publish(std::vector<bus::OutboxItem>,
                                              std::vector<std::pair<std::string, std::string>>) override {
    return status_;
  }
  bool WaitForAck(uint64_t, std::chrono::milliseconds) override { return false; }
  uint64_t acked() const override { return 0; }

 private:
  const base::Status status_;
};

}  // namespace

PublisherFactory ZmqPublisherFactory(zmq::context_t& zmq, std::string endpoint, bus::PublisherOptions options,
                                     base::Clock& clock) {
  return [&zmq, endpoint = std::move(endpoint), options, &clock](bus::Outbox& outbox) -> std::unique_ptr<EventPublisher> {
    auto publisher = std::make_shared<bus::ZmqPublisher>(zmq, endpoint, outbox, clock, options);
    bus::OutboxPublisher& sink = *publisher;
    return std::make_unique<OutboxEventPublisher>(std::move(publisher), sink, nullptr, std::chrono::milliseconds(0));
  };
}

PublisherFactory ClusterPublisherFactory(bus::ClusterConfig cluster, bus::PublisherOptions options, base::Clock& clock) {
  return [cluster = std::move(cluster), options, &clock](bus::Outbox& outbox) -> std::unique_ptr<EventPublisher> {
    auto started = bus::NatsClusterPublisher::Start(cluster, "omnihubctl", outbox, clock, options, nullptr);
    if (!started.ok()) return std::make_unique<FailedEventPublisher>(started.status().WithContext("cluster mode"));
    std::shared_ptr<bus::NatsClusterPublisher> publisher = std::move(*started);
    bus::LogPublisher& sink = publisher->publisher();
    return std::make_unique<OutboxEventPublisher>(publisher, sink, &sink.positions(),
                                                  std::chrono::milliseconds(cluster.publish_timeout_ms));
  };
}

}  // namespace omnihub::ctl
