// STUB: replaced by its implementation.
#include "services/ctl/ctl_context.h"
namespace omnihub::ctl {
int RunCustomerExport(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
}  // namespace omnihub::ctl
