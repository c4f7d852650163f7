#include "services/ctl/selector.h"

#include "common/event/identity.h"
#include "common/base/uuid.h"

namespace omnihub::ctl {

base::Result<v1::CustomerSelector> ParseSelector(CtlContext& ctx, const std::string& arg) {
  v1::CustomerSelector selector;
  std::string uuid;
  if (base::UuidFromString(arg, &uuid)) {
    selector.set_customer_id(base::UuidToString(uuid));
    return selector;
  }
  event::IdentityNormalizer normalizer(ctx.config.identity.default_region);
  auto identity = normalizer.ParseArgument(arg);
  if (!identity.ok()) return identity.status();
  *selector.mutable_identity() = std::move(*identity);
  return selector;
}

}  // namespace omnihub::ctl
