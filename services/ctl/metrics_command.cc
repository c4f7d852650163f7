// omnihubctl metrics: the relationship metrics report (docs/metrics.md) for the given filters,
// printed as the unifier built it (one JSON object), so that the CLI, the API and the console
// show the very same figures.
#include "common/client/query_values.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/query_options.h"

namespace omnihub::ctl {
namespace {

constexpr char kUsage[] =
    "omnihubctl metrics [--since T] [--until T] [--channel CH] [--account A] [--by day|week|month|channel|account]";

base::Result<v1::MetricsRequest> BuildRequest(const ParsedArgs& parsed) {
  v1::MetricsRequest req;
  auto range = ParseTimeRangeOptions(parsed);
  if (!range.ok()) return range.status();
  if (range->since_us) req.set_since_us(*range->since_us);
  if (range->until_us) req.set_until_us(*range->until_us);
  auto channels = ParseChannelOptions(parsed);
  if (!channels.ok()) return channels.status();
  if (channels->size() > 1) {
    return base::Status::InvalidArgument(
        "--channel: a report is about one inbound channel (or, without --channel, all of them)");
  }
  if (!channels->empty()) req.set_channel(channels->front());
  if (parsed.Has("account")) {
    if (parsed.Get("account").empty()) return base::Status::InvalidArgument("--account needs an account name");
    req.set_account(parsed.Get("account"));
  }
  if (parsed.Has("by")) {
    auto by = client::ParseMetricsGrouping(parsed.Get("by"));
    if (!by.ok()) return by.status().WithContext("--by");
    req.set_by(*by);
  }
  return req;
}

}  // namespace

int RunMetrics(CtlContext& ctx, const std::vector<std::string>& args) {
  const ArgSpec spec{{"since", "until", "channel", "account", "by"}, {}, 0, 0, kUsage};
  auto parsed = ParseArgs(args, spec);
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto req = BuildRequest(*parsed);
  if (!req.ok()) return ReportError(ctx, req.status());
  v1::QueryRequest query;
  *query.mutable_metrics() = *req;
  auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
  if (!resp.ok()) return ReportError(ctx, resp.status());
  // As the unifier wrote it: other commands print compact JSON too, and re-encoding could only
  // change what the API passes through untouched.
  ctx.out << resp->metrics().report_json() << "\n";
  ctx.out.flush();
  return kExitOk;
}

}  // namespace omnihub::ctl
