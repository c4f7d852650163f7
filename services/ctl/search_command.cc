// omnihubctl search: full-text search over subjects and message text (docs/search.md), one
// JSON object per hit and line; the next page's cursor on stderr, as `timeline` prints it.
#include <nlohmann/json.hpp>

#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/bus/query_transport.h"
#include "common/event/enum_names.h"
#include "common/event/identity.h"
#include "common/client/query_values.h"
#include "common/client/search_json.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/query_options.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

constexpr char kUsage[] =
    "omnihubctl search QUERY [--customer ID|IDENTITY] [--channel CH[,CH]] [--since T] [--until T] [--limit N] "
    "[--cursor C] [--direction inbound|outbound] [--order newest|relevance]";

base::Result<v1::SearchRequest> BuildRequest(CtlContext& ctx, const ParsedArgs& parsed) {
  v1::SearchRequest req;
  req.set_query(parsed.positional[0]);
  if (parsed.Has("customer")) {
    auto selector = ParseSelector(ctx, parsed.Get("customer"));
    if (!selector.ok()) return selector.status();
    *req.mutable_customer() = *selector;
  }
  auto channels = ParseChannelOptions(parsed);
  if (!channels.ok()) return channels.status();
  for (v1::Channel ch : *channels) req.add_channels(ch);
  auto range = ParseTimeRangeOptions(parsed);
  if (!range.ok()) return range.status();
  if (range->since_us) req.set_since_us(*range->since_us);
  if (range->until_us) req.set_until_us(*range->until_us);
  if (parsed.Has("limit")) {
    auto limit = ParsePositive("limit", parsed.Get("limit"));
    if (!limit.ok()) return limit.status();
    req.set_limit(static_cast<uint32_t>(std::min<uint64_t>(*limit, 1u << 30)));
  }
  req.set_cursor(parsed.Get("cursor"));
  if (parsed.Has("direction")) {
    auto direction = event::ParseDirection(parsed.Get("direction"));
    if (!direction.ok()) return direction.status().WithContext("--direction");
    req.set_direction(*direction);
  }
  if (parsed.Has("order")) {
    auto order = client::ParseSearchOrder(parsed.Get("order"));
    if (!order.ok()) return order.status().WithContext("--order");
    req.set_order(*order);
  }
  return req;
}

}  // namespace

int RunSearch(CtlContext& ctx, const std::vector<std::string>& args) {
  const ArgSpec spec{{"customer", "channel", "since", "until", "limit", "cursor", "direction", "order"}, {}, 1, 1, kUsage};
  auto parsed = ParseArgs(args, spec);
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto req = BuildRequest(ctx, *parsed);
  if (!req.ok()) return ReportError(ctx, req.status());
  v1::QueryRequest query;
  *query.mutable_search() = *req;
  auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
  if (!resp.ok()) return ReportError(ctx, resp.status());
  const v1::SearchResponse& page = resp->search();
  const bool relevance = req->order() == v1::SearchRequest::RELEVANCE;
  for (const auto& hit : page.hits()) {
    ctx.out << client::HitToJson(hit, relevance).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  ctx.out.flush();
  if (page.indexed_change_seq() < page.last_change_seq()) {
    ctx.err << "note: the search index is " << page.last_change_seq() - page.indexed_change_seq()
            << " changes behind the store; the newest messages may be missing\n";
  }
  ctx.err << "next cursor: " << (page.next_cursor().empty() ? "none (this is the last page)" : page.next_cursor()) << "\n";
  return kExitOk;
}

}  // namespace omnihub::ctl
