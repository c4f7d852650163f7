// The IDENTITY argument of omnihubctl commands (common/client/customer_selector.h), with the
// config's default region.
#pragma once

#include <string>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

base::Result<v1::CustomerSelector> ParseSelector(CtlContext& ctx, const std::string& arg);

}  // namespace omnihub::ctl
