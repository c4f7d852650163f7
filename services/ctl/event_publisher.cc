#include "services/ctl/event_publisher.h"

#include "common/bus/zmq_publisher.h"

namespace omnihub::ctl {
namespace {

class ZmqEventPublisher final : public EventPublisher {
 public:
  ZmqEventPublisher(zmq::context_t& zmq, const std::string& endpoint, const bus::PublisherOptions& options,
                    bus::Outbox& outbox, base::Clock& clock)
      : publisher_(zmq, endpoint, outbox, clock, options) {}

  base::Result<std::vector<uint64_t>> Publish(std::vector<bus::OutboxItem> items,
                                              std::vector<std::pair<std::string, std::string>> meta_puts) override {
    return publisher_.Publish(std::move(items), std::move(meta_puts));
  }
  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) override {
    return publisher_.WaitForAck(sequence, timeout);
  }
  uint64_t acked() const override { return publisher_.acked(); }

 private:
  bus::ZmqPublisher publisher_;
};

}  // namespace

PublisherFactory ZmqPublisherFactory(zmq::context_t& zmq, std::string endpoint, bus::PublisherOptions options,
                                     base::Clock& clock) {
  return [&zmq, endpoint = std::move(endpoint), options, &clock](bus::Outbox& outbox) -> std::unique_ptr<EventPublisher> {
    return std::make_unique<ZmqEventPublisher>(zmq, endpoint, options, outbox, clock);
  };
}

}  // namespace omnihub::ctl
