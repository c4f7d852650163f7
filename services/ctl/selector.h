// The IDENTITY argument of omnihubctl commands: any identity form the normalizer
// accepts (email:, phone:, whatsapp:, PLATFORM:ACCOUNT:USER_ID, telegram:USER_ID, x:USER_ID,
// and x:@handle, which the hub resolves to the one user last seen with that handle) or a
// customer id (a merged customer's id selects the customer it was merged into).
#pragma once

#include <string>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

base::Result<v1::CustomerSelector> ParseSelector(CtlContext& ctx, const std::string& arg);

}  // namespace omnihub::ctl
