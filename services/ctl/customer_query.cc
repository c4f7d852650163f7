#include "services/ctl/customer_query.h"

#include "common/bus/query_transport.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {

int RunCustomerQuery(CtlContext& ctx, const std::vector<std::string>& args, const std::string& usage,
                     const FillCustomerRequest& fill, const CustomerAnswerJson& answer_json) {
  auto parsed = ParseArgs(args, {{}, {}, 1, 1, usage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto selector = ParseSelector(ctx, parsed->positional[0]);
  if (!selector.ok()) return ReportError(ctx, selector.status());
  v1::QueryRequest request;
  fill(request, *selector);
  auto response = ctx.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return ReportError(ctx, response.status());
  ctx.out << answer_json(*response).dump(2) << "\n";
  return kExitOk;
}

}  // namespace omnihub::ctl
