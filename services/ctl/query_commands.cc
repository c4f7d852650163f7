// omnihubctl lookup, timeline, stats, export, deadletter: thin shells over the
// unifier's query protocol that print JSON (one object per line for streams).
#include <map>

#include <nlohmann/json.hpp>

#include "common/base/coding.h"
#include "common/bus/dead_letter_entry.h"
#include "common/event/enum_names.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"
#include "common/event/tenant_id.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "common/bus/query_transport.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/customer_query.h"
#include "common/client/customer_json.h"
#include "services/ctl/query_options.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

std::string DumpLine(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

int RunLookup(CtlContext& ctx, const std::vector<std::string>& args) {
  return RunCustomerQuery(
      ctx, args, "omnihubctl lookup IDENTITY",
      [](v1::QueryRequest& req, const v1::CustomerSelector& selector) {
        *req.mutable_get_customer()->mutable_customer() = selector;
      },
      [](const v1::QueryResponse& resp) { return client::CustomerToJson(resp.get_customer().customer()); });
}

int RunTimeline(CtlContext& ctx, const std::vector<std::string>& args) {
  const ArgSpec spec{{"limit", "cursor", "channel", "since", "until", "conversation"},
                     {"all"},
                     1,
                     1,
                     "omnihubctl timeline IDENTITY [--limit N] [--cursor C] [--channel CH] [--since T] [--until T] "
                     "[--conversation ID] [--all]"};
  auto parsed = ParseArgs(args, spec);
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto selector = ParseSelector(ctx, parsed->positional[0]);
  if (!selector.ok()) return ReportError(ctx, selector.status());

  v1::TimelineRequest req;
  *req.mutable_customer() = *selector;
  const bool all = parsed->flags.count("all") > 0;
  if (parsed->Has("limit")) {
    auto limit = ParsePositive("limit", parsed->Get("limit"));
    if (!limit.ok()) return ReportError(ctx, limit.status());
    req.set_limit(static_cast<uint32_t>(std::min<uint64_t>(*limit, 1u << 30)));
  } else {
    req.set_limit(all ? 500 : 20);
  }
  req.set_cursor(parsed->Get("cursor"));
  auto channels = ParseChannelOptions(*parsed);
  if (!channels.ok()) return ReportError(ctx, channels.status());
  for (v1::Channel ch : *channels) req.add_channels(ch);
  for (const char* option : {"since", "until"}) {
    if (!parsed->Has(option)) continue;
    auto t = ParseTimeOption(option, parsed->Get(option));
    if (!t.ok()) return ReportError(ctx, t.status());
    if (std::string(option) == "since") {
      req.set_since_us(*t);
    } else {
      req.set_until_us(*t);
    }
  }
  req.set_conversation(parsed->Get("conversation"));

  while (true) {
    v1::QueryRequest query;
    *query.mutable_timeline() = req;
    auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    const auto& page = resp->timeline();
    for (const nlohmann::json& j : client::TimelinePageToJson(page)) ctx.out << DumpLine(j) << "\n";
    ctx.out.flush();
    if (!all) {
      ctx.err << "next cursor: " << (page.next_cursor().empty() ? "none (this is the oldest page)" : page.next_cursor())
              << "\n";
      return kExitOk;
    }
    if (page.next_cursor().empty()) return kExitOk;
    req.set_cursor(page.next_cursor());
  }
}

int RunStats(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, "omnihubctl stats"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  v1::QueryRequest req;
  req.mutable_stats();
  auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) return ReportError(ctx, resp.status());
  const auto& s = resp->stats();
  nlohmann::json publishers = nlohmann::json::object();
  for (const auto& p : s.publishers()) publishers[p.publisher_id()] = p.high_water();
  nlohmann::json j = {{"events", s.events()},
                      {"customers", s.customers()},
                      {"identities", s.identities()},
                      {"dead_letters", s.dead_letters()},
                      {"duplicates", s.duplicates()},
                      {"statuses", s.statuses()},
                      {"last_change_seq", s.last_change_seq()},
                      {"publishers", std::move(publishers)}};
  ctx.out << j.dump(2) << "\n";
  return kExitOk;
}

int RunExport(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{kTenantOption}, {}, 0, 0, "omnihubctl export [--tenant T]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  // Without --tenant every tenant's lines; a line of a tenant other than the default one says
  // which ("tenant"), so that a hub without tenants prints what it always printed.
  const bool one_tenant = parsed->Has(kTenantOption);
  auto tenant = TenantOf(*parsed);
  if (!tenant.ok()) return ReportError(ctx, tenant.status());
  std::string cursor;
  do {
    v1::QueryRequest req;
    req.mutable_export_()->set_cursor(cursor);
    req.mutable_export_()->set_limit(1000);
    auto resp = ctx.hub.Call(req, bus::kBulkQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    for (const auto& entry : resp->export_().entries()) {
      const std::string_view line_tenant = event::TenantOrDefault(entry.event().tenant_id());
      if (one_tenant && line_tenant != *tenant) continue;
      nlohmann::json j = event::EventToJson(entry.event(), entry.customer_id());
      j["identity"] = event::IdentityToArgument(entry.identity());
      if (line_tenant != event::kDefaultTenant) j["tenant"] = line_tenant;
      ctx.out << DumpLine(j) << "\n";
    }
    cursor = resp->export_().next_cursor();
  } while (!cursor.empty());
  return kExitOk;
}

int RunDeadLetter(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"after", "limit"}, {}, 1, 1, "omnihubctl deadletter list [--after ID] [--limit N]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (parsed->positional[0] != "list") {
    return ReportError(ctx, base::Status::InvalidArgument("unknown deadletter command '" + parsed->positional[0] +
                                                    "' (usage: omnihubctl deadletter list|replay)"));
  }
  uint64_t after = 0;
  if (parsed->Has("after")) {
    auto a = ParseNonNegative("after", parsed->Get("after"));
    if (!a.ok()) return ReportError(ctx, a.status());
    after = *a;
  }
  auto limit = LimitOption(*parsed);
  if (!limit.ok()) return ReportError(ctx, limit.status());
  uint64_t remaining = *limit;
  while (remaining > 0) {
    v1::QueryRequest req;
    req.mutable_dead_letters()->set_after_id(after);
    req.mutable_dead_letters()->set_limit(static_cast<uint32_t>(std::min<uint64_t>(remaining, 500)));
    auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    const std::vector<v1::DeadLetterEntry> list = bus::DeadLetterEntries(std::move(*resp->mutable_dead_letters()));
    if (list.empty()) break;
    for (const auto& dl : list) {
      nlohmann::json j = {{"id", dl.dead_letter_id()},
                          {"reason", dl.reason()},
                          {"source", dl.source()},
                          {"publisher_id", dl.publisher_id()},
                          {"sequence", dl.sequence()},
                          {"received_at", base::FormatRfc3339Micros(dl.received_at_us())},
                          {"size", dl.raw().size()},
                          {"raw_base64url", base::Base64UrlEncode(dl.raw())}};
      if (base::IsValidUtf8(dl.raw())) j["raw"] = dl.raw();  // readable as is
      if (!dl.context().empty()) {
        nlohmann::json context = nlohmann::json::object();
        for (const auto& [key, value] : dl.context()) context[key] = base::IsValidUtf8(value) ? value : base::Base64UrlEncode(value);
        j["context"] = std::move(context);
      }
      ctx.out << DumpLine(j) << "\n";
      after = dl.dead_letter_id();
      --remaining;
    }
  }
  return kExitOk;
}

}  // namespace omnihub::ctl
