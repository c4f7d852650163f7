#include "services/ctl/selector.h"

#include "common/client/customer_selector.h"

namespace omnihub::ctl {

base::Result<v1::CustomerSelector> ParseSelector(CtlContext& ctx, const std::string& arg) {
  return client::ParseCustomerSelector(arg, ctx.config.identity.default_region);
}

}  // namespace omnihub::ctl
