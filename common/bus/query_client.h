// The real QueryTransport: the unifier's query endpoint (query.proto over a ZeroMQ
// DEALER). A hub that does not answer within the timeout is reported as unreachable
// with a hint, never waited on forever.
//
// Thread-safety: one QueryClient per thread (it owns a ZeroMQ socket).
#pragma once

#include <chrono>
#include <string>

#include <zmq.hpp>

#include "common/base/status.h"
#include "common/bus/query_transport.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::bus {

class QueryClient final : public QueryTransport {
 public:
  // `timeout` is the one Call(request) waits.
  QueryClient(zmq::context_t& ctx, std::string endpoint, std::chrono::milliseconds timeout = kQueryTimeout);

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override;
  // With the timeout given to the constructor.
  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request) { return Call(request, timeout_); }

 private:
  void Reconnect();

  zmq::context_t& ctx_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  zmq::socket_t socket_;
};

}  // namespace omnihub::bus
