// omnihubctl customer explain | link | unlink | merge | split (docs/cli.md): explain and the
// merge preview are queries; the others are commands sent the durable way (command_sender.h),
// whose result is printed as JSON. Every change needs --reason (the graph records why).
#include <nlohmann/json.hpp>

#include "common/bus/query_transport.h"
#include "common/client/graph_commands.h"
#include "common/client/graph_json.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/customer_query.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

constexpr char kReasonOption[] = "reason";

// The options of a graph change besides its own.
ArgSpec ChangeSpec(size_t positional, std::string usage, std::set<std::string> flags = {}) {
  return {{kReasonOption, kActorOption, kTimeoutOption, kTenantOption}, std::move(flags), positional, positional,
          std::move(usage) + " --reason TEXT [--actor NAME] [--timeout SECONDS] [--tenant T]"};
}

base::Status RequireReason(const ParsedArgs& args) {
  if (!args.Has(kReasonOption) || args.Get(kReasonOption).empty()) {
    return base::Status::InvalidArgument("--reason is required: say why (e.g. --reason \"same person, confirmed by phone\")");
  }
  return base::Status::Ok();
}

// An IDENTITY argument that names one identity itself (client::IdentityOfSelector).
base::Result<v1::Identity> ParseIdentityArgument(CtlContext& ctx, const std::string& arg) {
  auto selector = ParseSelector(ctx, arg);
  if (!selector.ok()) return selector.status();
  return client::IdentityOfSelector(*selector, "IDENTITY", arg);
}

// A refused command's message: exit 4 for NotFound, 1 for every other refusal (the arguments
// were well-formed; the graph did not allow the change).
int ReportRejection(CtlContext& ctx, const base::Status& rejection) {
  if (rejection.code() == base::StatusCode::kNotFound) return ReportError(ctx, rejection);
  ctx.err << "omnihubctl: " << rejection.message() << "\n";
  return kExitFailed;
}

// Sends `command`; on success prints its result (client::GraphResultToJson).
int SendAndPrint(CtlContext& ctx, const ParsedArgs& args, const v1::Command& command) {
  auto result = SendCommand(ctx, args, command);
  if (!result.ok()) return ReportError(ctx, result.status());
  if (base::Status rejection = RejectionOf(*result); !rejection.ok()) return ReportRejection(ctx, rejection);
  ctx.out << client::GraphResultToJson(command, *result).dump(2) << "\n";
  return kExitOk;
}

}  // namespace

int RunCustomerExplain(CtlContext& ctx, const std::vector<std::string>& args) {
  return RunCustomerQuery(
      ctx, args, "omnihubctl customer explain CUSTOMER|IDENTITY",
      [](v1::QueryRequest& req, const v1::CustomerSelector& selector) {
        *req.mutable_explain()->mutable_customer() = selector;
      },
      [](const v1::QueryResponse& resp) { return client::ExplainToJson(resp.explain()); });
}

int RunCustomerLink(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, ChangeSpec(2, "omnihubctl customer link CUSTOMER IDENTITY"));
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (base::Status s = RequireReason(*parsed); !s.ok()) return ReportError(ctx, s);
  auto customer = ParseSelector(ctx, parsed->positional[0]);
  if (!customer.ok()) return ReportError(ctx, customer.status());
  auto identity = ParseIdentityArgument(ctx, parsed->positional[1]);
  if (!identity.ok()) return ReportError(ctx, identity.status());
  return SendAndPrint(ctx, *parsed,
                      client::LinkCommand(std::move(*customer), std::move(*identity), parsed->Get(kReasonOption)));
}

int RunCustomerUnlink(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, ChangeSpec(1, "omnihubctl customer unlink IDENTITY"));
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (base::Status s = RequireReason(*parsed); !s.ok()) return ReportError(ctx, s);
  auto identity = ParseIdentityArgument(ctx, parsed->positional[0]);
  if (!identity.ok()) return ReportError(ctx, identity.status());
  return SendAndPrint(ctx, *parsed, client::UnlinkCommand(std::move(*identity), parsed->Get(kReasonOption)));
}

int RunCustomerMerge(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, ChangeSpec(2, "omnihubctl customer merge SURVIVOR OTHER [--preview]", {"preview"}));
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const bool preview = parsed->flags.count("preview") > 0;
  // A preview writes nothing, so it needs no reason.
  if (!preview) {
    if (base::Status s = RequireReason(*parsed); !s.ok()) return ReportError(ctx, s);
  }
  auto survivor = ParseSelector(ctx, parsed->positional[0]);
  if (!survivor.ok()) return ReportError(ctx, survivor.status().WithContext("SURVIVOR"));
  auto other = ParseSelector(ctx, parsed->positional[1]);
  if (!other.ok()) return ReportError(ctx, other.status().WithContext("OTHER"));
  if (preview) {
    auto resp = ctx.hub.Call(client::MergePreviewQuery(std::move(*survivor), std::move(*other)), bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    ctx.out << client::MergePreviewToJson(resp->merge_preview()).dump(2) << "\n";
    return kExitOk;
  }
  return SendAndPrint(ctx, *parsed,
                      client::MergeCommand(std::move(*survivor), std::move(*other), parsed->Get(kReasonOption)));
}

int RunCustomerSplit(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, ChangeSpec(1, "omnihubctl customer split MERGE_ID"));
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (base::Status s = RequireReason(*parsed); !s.ok()) return ReportError(ctx, s);
  auto merge_id = client::ParseMergeId(parsed->positional[0], "MERGE_ID");
  if (!merge_id.ok()) return ReportError(ctx, merge_id.status());
  return SendAndPrint(ctx, *parsed, client::SplitCommand(std::move(*merge_id), parsed->Get(kReasonOption)));
}

}  // namespace omnihub::ctl
