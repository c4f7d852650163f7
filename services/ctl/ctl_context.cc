#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

int ReportError(CtlContext& ctx, const Status& status) {
  ctx.err << "omnihubctl: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kUnavailable:
      return kExitUnavailable;
    case StatusCode::kNotFound:
      return kExitNotFound;
    default:
      return kExitFailed;
  }
}

}  // namespace omnihub::ctl
