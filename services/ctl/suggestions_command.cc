// omnihubctl suggestions: the possible duplicates the unifier recorded (an identity of one
// customer written in another customer's message, docs/suggestions.md), one JSON object per
// line, and `suggestions dismiss ID` to say a pair is not one person. A merge resolves a
// suggestion by itself (state "merged").
#include <nlohmann/json.hpp>

#include "common/base/coding.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/bus/query_transport.h"
#include "common/event/identity.h"
#include "common/client/query_values.h"
#include "common/client/suggestion_json.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

// Pages asked for at a time; the listing goes on until the last page.
constexpr uint32_t kPage = 500;

int RunList(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"customer"}, {"all"}, 0, 0, "omnihubctl suggestions [--customer CUSTOMER] [--all]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  v1::SuggestionListRequest req;
  if (parsed->Has("customer")) {
    auto selector = ParseSelector(ctx, parsed->Get("customer"));
    if (!selector.ok()) return ReportError(ctx, selector.status().WithContext("--customer"));
    *req.mutable_customer() = std::move(*selector);
  }
  req.set_include_resolved(parsed->flags.count("all") > 0);
  req.set_limit(kPage);
  do {
    v1::QueryRequest query;
    *query.mutable_suggestions() = req;
    auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    for (const auto& s : resp->suggestions().suggestions()) {
      ctx.out << client::SuggestionToJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    req.set_cursor(resp->suggestions().next_cursor());
  } while (!req.cursor().empty());
  ctx.out.flush();
  return kExitOk;
}

int RunDismiss(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"reason", kActorOption, kTimeoutOption, kTenantOption},
                                 {},
                                 1,
                                 1,
                                 "omnihubctl suggestions dismiss ID --reason TEXT [--actor NAME] [--timeout SECONDS] [--tenant T]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto id = client::ParseSuggestionId(parsed->positional[0]);
  if (!id.ok()) return ReportError(ctx, id.status());
  if (parsed->Get("reason").empty()) {
    return ReportError(ctx, base::Status::InvalidArgument("--reason TEXT is required: say why the two are not one person"));
  }
  v1::Command command;
  command.set_reason(parsed->Get("reason"));
  command.mutable_dismiss_suggestion()->set_suggestion_id(*id);
  auto result = SendCommand(ctx, *parsed, std::move(command));
  if (!result.ok()) return ReportError(ctx, result.status());
  if (base::Status rejected = RejectionOf(*result); !rejected.ok()) return ReportError(ctx, rejected);
  ctx.out << client::DismissalToJson(*id, *result).dump() << "\n";
  return kExitOk;
}

}  // namespace

int RunSuggestions(CtlContext& ctx, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "dismiss") return RunDismiss(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
  return RunList(ctx, args);
}

}  // namespace omnihub::ctl
