#include "common/client/customer_selector.h"

#include "common/base/uuid.h"
#include "common/event/identity.h"

namespace omnihub::client {

base::Result<v1::CustomerSelector> ParseCustomerSelector(const std::string& arg, const std::string& default_region) {
  v1::CustomerSelector selector;
  std::string uuid;
  if (base::UuidFromString(arg, &uuid)) {
    selector.set_customer_id(base::UuidToString(uuid));
    return selector;
  }
  event::IdentityNormalizer normalizer(default_region);
  auto identity = normalizer.ParseArgument(arg);
  if (!identity.ok()) return identity.status();
  *selector.mutable_identity() = std::move(*identity);
  return selector;
}

}  // namespace omnihub::client
