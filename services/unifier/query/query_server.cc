#include "services/unifier/query/query_server.h"

#include <vector>

#include <spdlog/spdlog.h>

namespace omnihub::unifier {

QueryServer::QueryServer(zmq::context_t& ctx, QueryService& service)
    : service_(service), router_(ctx, zmq::socket_type::router) {
  router_.set(zmq::sockopt::linger, 0);
  router_.set(zmq::sockopt::maxmsgsize, int64_t{1} << 20);  // queries are small; bound what a peer can send
}

QueryServer::~QueryServer() { Stop(); }

base::Status QueryServer::Bind(const std::string& endpoint) {
  try {
    router_.bind(endpoint);
  } catch (const zmq::error_t& e) {
    return base::Status::Unavailable("cannot bind query endpoint " + endpoint + ": " + e.what());
  }
  return base::Status::Ok();
}

void QueryServer::Start() { thread_ = std::thread([this] { Loop(); }); }

void QueryServer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void QueryServer::Loop() {
  zmq::pollitem_t items[] = {{router_.handle(), 0, ZMQ_POLLIN, 0}};
  while (!stop_.load()) {
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(200));
      if ((items[0].revents & ZMQ_POLLIN) == 0) continue;
      std::vector<zmq::message_t> parts;
      do {
        zmq::message_t part;
        if (!router_.recv(part, zmq::recv_flags::none)) break;
        parts.push_back(std::move(part));
      } while (parts.back().more());
      if (parts.size() < 2) continue;  // no payload after the routing id

      v1::QueryRequest request;
      v1::QueryResponse response;
      if (!request.ParseFromArray(parts.back().data(), static_cast<int>(parts.back().size()))) {
        response.mutable_error()->set_code("invalid_argument");
        response.mutable_error()->set_message("request is not a valid omnihub.v1.QueryRequest");
      } else {
        response = service_.Handle(request);
      }
      const std::string bytes = response.SerializeAsString();
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        router_.send(parts[i], zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      }
      router_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      spdlog::error("query endpoint: {}", e.what());
    }
  }
}

}  // namespace omnihub::unifier
