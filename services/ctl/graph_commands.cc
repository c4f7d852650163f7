// STUB: replaced by its implementation.
#include "services/ctl/ctl_context.h"
namespace omnihub::ctl {
int RunCustomerExplain(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
int RunCustomerLink(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
int RunCustomerUnlink(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
int RunCustomerMerge(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
int RunCustomerSplit(CtlContext& ctx, const std::vector<std::string>&) { ctx.err << "omnihubctl: not built yet\n"; return kExitFailed; }
}  // namespace omnihub::ctl
