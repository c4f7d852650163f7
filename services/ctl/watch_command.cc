// omnihubctl watch [--from SEQ] [--count N] [--tenant T]: follows committed changes live,
// every change exactly once and in order (client::ChangeFollower fills the live feed's gaps
// from the change log). A partition's change log holds every tenant assigned to it (one
// host's, every tenant): with --tenant, only that tenant's changes are printed (and counted),
// so its sequence numbers have holes where other tenants' changes are; without it, all.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/bus/query_transport.h"
#include "common/client/change_follower.h"
#include "common/client/change_json.h"
#include "common/event/tenant_id.h"
#include "omnihub/v1/bus.pb.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/query_route_args.h"

namespace omnihub::ctl {
namespace {

// How long one wait for a live notification lasts.
constexpr std::chrono::milliseconds kLiveWait{500};

}  // namespace

int RunWatch(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed =
      ParseArgs(args, {{"from", "count"}, {}, 0, 0, "omnihubctl watch [--from SEQ] [--count N] [--tenant T]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  std::optional<std::string> tenant;
  if (parsed->Has("tenant")) {
    if (auto s = CheckTenantOption(parsed->Get("tenant")); !s.ok()) return ReportError(ctx, s);
    tenant = std::string(event::TenantOrDefault(parsed->Get("tenant")));
  }
  uint64_t count = UINT64_MAX;
  if (parsed->Has("count")) {
    auto c = ParsePositive("count", parsed->Get("count"));
    if (!c.ok()) return ReportError(ctx, c.status());
    count = *c;
  }

  // Subscribe before reading the log, so nothing committed in between is missed.
  const std::unique_ptr<bus::ChangeSubscription> live = ctx.changes.Subscribe();

  uint64_t last = 0;
  if (parsed->Has("from")) {
    auto from = ParsePositive("from", parsed->Get("from"));
    if (!from.ok()) return ReportError(ctx, from.status());
    last = *from - 1;
  } else {
    v1::QueryRequest req;
    req.mutable_stats();
    auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    last = resp->stats().last_change_seq();
  }
  client::ChangeFollower follower(ctx.hub, ctx.clock, last);
  // Prints one change; false once --count are printed.
  const client::ChangeFollower::Deliver print = [&](const v1::ChangeNotification& c) {
    if (tenant && event::TenantOrDefault(c.tenant_id()) != *tenant) return true;  // another tenant's
    ctx.out << client::ChangeToJson(c).dump() << "\n";
    ctx.out.flush();
    if (count != UINT64_MAX) --count;
    return count > 0;
  };
  if (auto s = follower.CatchUp(print); !s.ok()) return ReportError(ctx, s);
  while (count > 0) {
    if (auto s = follower.Poll(*live, kLiveWait, print); !s.ok()) return ReportError(ctx, s);
  }
  return kExitOk;
}

}  // namespace omnihub::ctl
