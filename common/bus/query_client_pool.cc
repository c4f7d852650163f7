#include "common/bus/query_client_pool.h"

namespace omnihub::bus {

base::Result<v1::QueryResponse> QueryClientPool::Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) {
  std::unique_ptr<QueryClient> client;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!client) client = std::make_unique<QueryClient>(ctx_, endpoint_);
  auto result = client->Call(request, timeout);
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(client));
  return result;
}

}  // namespace omnihub::bus
