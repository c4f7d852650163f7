// The relationship metrics of one tenant (docs/metrics.md "Tenants"): the metrics database of a
// partition counts every tenant assigned to it, so a report for a tenant reads it through this
// filter, which passes on only the episodes and customers of that tenant's customers. Whether a
// customer is the tenant's is asked once per customer and remembered for the report.
//
// Thread-safety: one report at a time (the memo is not locked).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/unifier/metrics/report.h"

namespace omnihub::unifier::metrics {

class TenantEpisodes final : public EpisodeSource {
 public:
  // Whether `customer_id` is one of the tenant's customers (false for one that is gone).
  using InTenant = std::function<base::Result<bool>(const std::string& customer_id)>;

  // `inner` must outlive this.
  TenantEpisodes(EpisodeSource& inner, InTenant in_tenant) : inner_(inner), in_tenant_(std::move(in_tenant)) {}

  base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                              const std::function<void(std::string_view customer_id, const Episode&)>& fn) override;
  base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) override;
  base::Status ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                 const std::function<void(const CustomerSummary&)>& fn) override;
  // The partition's: the reference time is the latest message of any tenant.
  int64_t as_of_us() const override { return inner_.as_of_us(); }
  uint64_t applied_change_seq() const override { return inner_.applied_change_seq(); }

 private:
  // in_tenant_, asked once per customer; the first error is kept in error_ (and false given).
  bool Keep(const std::string& customer_id);
  base::Status TakeError();

  EpisodeSource& inner_;
  InTenant in_tenant_;
  std::unordered_map<std::string, bool> known_;
  base::Status error_ = base::Status::Ok();
};

}  // namespace omnihub::unifier::metrics
