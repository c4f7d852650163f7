#include "services/unifier/ingest/change_publisher.h"

namespace omnihub::unifier {

ChangePublisher::ChangePublisher(zmq::context_t& ctx) : pub_(ctx, zmq::socket_type::pub) {
  pub_.set(zmq::sockopt::linger, 0);
  pub_.set(zmq::sockopt::sndhwm, 100000);  // slow subscribers catch up from the change log
}

base::Status ChangePublisher::Bind(const std::string& endpoint) {
  try {
    pub_.bind(endpoint);
  } catch (const zmq::error_t& e) {
    return base::Status::Unavailable("cannot bind the changes endpoint " + endpoint + ": " + e.what());
  }
  return base::Status::Ok();
}

void ChangePublisher::Publish(const std::vector<v1::ChangeNotification>& changes) {
  for (const auto& change : changes) {
    const std::string bytes = change.SerializeAsString();
    pub_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
  }
}

}  // namespace omnihub::unifier
