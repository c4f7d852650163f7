#include "services/api/stream/customer_filter.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace omnihub::api::stream {
namespace {

// The customers whose changes a stream takes: the one asked for, and each survivor of a
// merge that absorbed one of them, with the customer it was followed from. A handful at
// most, so a vector.
class FollowedCustomers {
 public:
  explicit FollowedCustomers(std::string customer_id) { followed_.push_back({std::move(customer_id), ""}); }

  bool operator()(const v1::ChangeNotification& change) {
    const bool ours = Has(change.customer_id());
    const bool from_ours = Has(change.merged_customer_id());
    if (change.kind() == v1::CUSTOMERS_MERGED && from_ours && !ours) {
      followed_.push_back({change.customer_id(), change.merged_customer_id()});
    } else if (change.kind() == v1::CUSTOMERS_SPLIT) {
      std::erase_if(followed_, [&](const Followed& f) {
        return f.id == change.customer_id() && f.via == change.merged_customer_id();
      });
    }
    return ours || from_ours;
  }

 private:
  struct Followed {
    std::string id;
    std::string via;  // "" for the customer asked for
  };

  bool Has(const std::string& id) const {
    return !id.empty() && std::any_of(followed_.begin(), followed_.end(), [&](const Followed& f) { return f.id == id; });
  }

  std::vector<Followed> followed_;
};

}  // namespace

ChangeFilter CustomerChangeFilter(std::string customer_id) { return FollowedCustomers(std::move(customer_id)); }

}  // namespace omnihub::api::stream
