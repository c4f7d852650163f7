// omnihubctl's connection to the unifier's query endpoint (query.proto over a
// ZeroMQ DEALER). A hub that does not answer within the timeout is reported as
// unreachable with a hint, never waited on forever.
//
// Thread-safety: one QueryClient per thread (it owns a ZeroMQ socket).
#pragma once

#include <chrono>
#include <string>

#include <zmq.hpp>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::bus {

class QueryClient {
 public:
  QueryClient(zmq::context_t& ctx, std::string endpoint,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  // Sends one request and waits for its response. Errors: Unavailable when the hub
  // does not answer; the server's error (with its code) when it answers with one.
  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request);

 private:
  void Reconnect();

  zmq::context_t& ctx_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  zmq::socket_t socket_;
};

}  // namespace omnihub::bus
