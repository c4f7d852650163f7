#include "services/unifier/metrics/tenant_episodes.h"

#include <utility>

namespace omnihub::unifier::metrics {

bool TenantEpisodes::Keep(const std::string& customer_id) {
  if (auto it = known_.find(customer_id); it != known_.end()) return it->second;
  auto in = in_tenant_(customer_id);
  if (!in.ok() && error_.ok()) error_ = in.status();
  return known_.emplace(customer_id, in.ok() && *in).first->second;
}

base::Status TenantEpisodes::TakeError() { return std::exchange(error_, base::Status::Ok()); }

base::Status TenantEpisodes::ForEachEpisode(int64_t since_us, int64_t until_us,
                                            const std::function<void(std::string_view, const Episode&)>& fn) {
  OMNIHUB_RETURN_IF_ERROR(inner_.ForEachEpisode(since_us, until_us, [&](std::string_view id, const Episode& e) {
    if (Keep(std::string(id))) fn(id, e);
  }));
  return TakeError();
}

base::Status TenantEpisodes::ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) {
  OMNIHUB_RETURN_IF_ERROR(inner_.ForEachCustomer([&](const CustomerSummary& c) {
    if (Keep(c.customer_id)) fn(c);
  }));
  return TakeError();
}

base::Status TenantEpisodes::ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                               const std::function<void(const CustomerSummary&)>& fn) {
  std::vector<std::string> kept;
  for (const std::string& id : customer_ids) {
    if (Keep(id)) kept.push_back(id);
  }
  OMNIHUB_RETURN_IF_ERROR(TakeError());
  return inner_.ForEachCustomerOf(kept, fn);
}

}  // namespace omnihub::unifier::metrics
