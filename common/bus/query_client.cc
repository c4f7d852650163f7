#include "common/bus/query_client.h"

namespace omnihub::bus {

QueryClient::QueryClient(zmq::context_t& ctx, std::string endpoint, std::chrono::milliseconds timeout)
    : ctx_(ctx), endpoint_(std::move(endpoint)), timeout_(timeout) {
  Reconnect();
}

void QueryClient::Reconnect() {
  socket_ = zmq::socket_t(ctx_, zmq::socket_type::dealer);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint_);
}

base::Result<v1::QueryResponse> QueryClient::Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) {
  const std::string bytes = request.SerializeAsString();
  try {
    // An empty delimiter frame makes the DEALER look like REQ to the server.
    socket_.send(zmq::message_t(), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, timeout);
    if ((items[0].revents & ZMQ_POLLIN) == 0) {
      // A late answer must not be mistaken for the next request's: start afresh.
      Reconnect();
      return base::Status::Unavailable("the hub does not answer at " + endpoint_ + " (is omnihub running? start it with ./scripts/run.sh, or point --config at its config)");
    }
    zmq::message_t part;
    do {
      if (!socket_.recv(part, zmq::recv_flags::none)) return base::Status::Unavailable("lost the answer from " + endpoint_);
    } while (part.more());
    v1::QueryResponse response;
    if (!response.ParseFromArray(part.data(), static_cast<int>(part.size()))) {
      return base::Status::Corruption("the hub at " + endpoint_ + " sent an unreadable answer");
    }
    if (response.has_error()) {
      return base::Status(base::StatusCodeFromName(response.error().code()), response.error().message());
    }
    return response;
  } catch (const zmq::error_t& e) {
    return base::Status::Unavailable("cannot talk to the hub at " + endpoint_ + ": " + e.what());
  }
}

}  // namespace omnihub::bus
