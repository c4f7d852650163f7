#include "common/bus/zmq_change_feed.h"

#include <algorithm>

namespace omnihub::bus {
namespace {

class ZmqChangeSubscription final : public ChangeSubscription {
 public:
  ZmqChangeSubscription(zmq::context_t& ctx, const std::string& endpoint) : socket_(ctx, zmq::socket_type::sub) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
  }

  std::optional<v1::ChangeNotification> Next(std::chrono::milliseconds wait) override {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, std::max(left, std::chrono::milliseconds(0)));
      if ((items[0].revents & ZMQ_POLLIN) == 0) return std::nullopt;
      zmq::message_t msg;
      if (!socket_.recv(msg, zmq::recv_flags::none)) continue;
      v1::ChangeNotification change;
      if (change.ParseFromArray(msg.data(), static_cast<int>(msg.size()))) return change;
    }
  }

 private:
  zmq::socket_t socket_;
};

}  // namespace

std::unique_ptr<ChangeSubscription> ZmqChangeFeed::Subscribe() {
  return std::make_unique<ZmqChangeSubscription>(ctx_, endpoint_);
}

}  // namespace omnihub::bus
