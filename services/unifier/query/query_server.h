// The unifier's query endpoint: a ROUTER socket on its own thread answering
// QueryRequest with QueryResponse (query.proto). Clients may use REQ or DEALER: every
// frame before the payload (routing id, empty delimiter) is echoed back.
//
// Thread-safety: Start() launches the thread that owns the socket; Stop() joins it.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "common/base/status.h"
#include "services/unifier/query/query_service.h"

namespace omnihub::unifier {

class QueryServer {
 public:
  QueryServer(zmq::context_t& ctx, QueryService& service);
  ~QueryServer();

  base::Status Bind(const std::string& endpoint);
  void Start();
  void Stop();

 private:
  void Loop();

  QueryService& service_;
  zmq::socket_t router_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace omnihub::unifier
