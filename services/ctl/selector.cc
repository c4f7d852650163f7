#include "services/ctl/selector.h"

#include "common/identity.h"
#include "common/uuid.h"

namespace omnihub::ctl {

Result<v1::CustomerSelector> ParseSelector(CtlContext& ctx, const std::string& arg) {
  v1::CustomerSelector selector;
  std::string uuid;
  if (UuidFromString(arg, &uuid)) {
    selector.set_customer_id(UuidToString(uuid));
    return selector;
  }
  IdentityNormalizer normalizer(ctx.config.identity.default_region);
  auto identity = normalizer.ParseArgument(arg);
  if (!identity.ok()) return identity.status();
  *selector.mutable_identity() = std::move(*identity);
  return selector;
}

}  // namespace omnihub::ctl
