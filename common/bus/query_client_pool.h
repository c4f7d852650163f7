// A query endpoint for many threads at once: QueryClient owns a ZeroMQ socket
// and is for one thread, so the pool lends an idle client to each call and makes a new one
// when all are busy (at most one per worker thread ever exists). A long query (an export
// page, a purge) occupies only its own client: other requests and ingest go on.
//
// Thread-safety: Call is thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/bus/query_client.h"
#include "common/bus/query_transport.h"

namespace omnihub::bus {

class QueryClientPool final : public QueryTransport {
 public:
  // `ctx` must outlive the pool.
  QueryClientPool(zmq::context_t& ctx, std::string endpoint) : ctx_(ctx), endpoint_(std::move(endpoint)) {}

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override;

 private:
  zmq::context_t& ctx_;
  const std::string endpoint_;
  std::mutex mu_;
  std::vector<std::unique_ptr<QueryClient>> idle_;  // guarded by mu_
};

}  // namespace omnihub::bus
