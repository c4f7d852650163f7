// The PUB socket on which the unifier announces committed changes (ChangeNotification, in
// change_seq order) to the API's live views. Single-host ingest (ingest_server.h) and a
// cluster replica (replica/replica_service.h) publish through it after each commit.
// PUB never blocks: a subscriber that misses a notification sees the gap in change_seq and
// reads the change log.
//
// Thread-safety: none; the thread that commits publishes.
#pragma once

#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"

namespace omnihub::unifier {

class ChangePublisher {
 public:
  explicit ChangePublisher(zmq::context_t& ctx);

  // Unavailable naming the endpoint when it cannot be bound.
  base::Status Bind(const std::string& endpoint);
  void Publish(const std::vector<v1::ChangeNotification>& changes);

 private:
  zmq::socket_t pub_;
};

}  // namespace omnihub::unifier
