#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

int ReportError(CtlContext& ctx, const base::Status& status) {
  ctx.err << "omnihubctl: " << status.message() << "\n";
  switch (status.code()) {
    case base::StatusCode::kInvalidArgument:
      return kExitUsage;
    case base::StatusCode::kUnavailable:
      return kExitUnavailable;
    case base::StatusCode::kNotFound:
      return kExitNotFound;
    default:
      return kExitFailed;
  }
}

}  // namespace omnihub::ctl
