// omnihubctl watch [--from SEQ] [--count N]: follows committed changes live.
//
// Live notifications come from the unifier's PUB socket, which may drop some (slow
// joiner, high-water mark, a restart). Every change carries a gap-free change_seq,
// so a gap — or a quiet spell while the hub's last_change_seq moved on — is filled
// from the change log before printing further: the output is every change exactly
// once, in order.
#include <chrono>

#include <nlohmann/json.hpp>

#include "common/event/enum_names.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "omnihub/v1/bus.pb.h"
#include "common/client/change_json.h"
#include "services/ctl/cli_args.h"
#include "common/bus/query_transport.h"
#include "common/base/text.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {
namespace {

// How long one wait for a live notification lasts, and how long without any before
// the change log is asked (a dropped notification at the tail shows no gap).
constexpr std::chrono::milliseconds kLiveWait{500};
constexpr int64_t kQuietUs = 2'000'000;

class Watcher {
 public:
  Watcher(CtlContext& ctx, bus::QueryTransport& hub, uint64_t last, uint64_t count)
      : ctx_(ctx), hub_(hub), last_(last), remaining_(count) {}

  bool done() const { return remaining_ == 0; }

  // Prints every change after last_ that the change log holds.
  base::Status CatchUp() {
    while (!done()) {
      v1::QueryRequest req;
      req.mutable_change_log()->set_from_seq(last_ + 1);
      req.mutable_change_log()->set_limit(1000);
      auto resp = hub_.Call(req, bus::kQueryTimeout);
      if (!resp.ok()) return resp.status();
      const auto& changes = resp->change_log().changes();
      if (changes.empty()) return base::Status::Ok();
      for (const auto& c : changes) Print(c);
    }
    return base::Status::Ok();
  }

  base::Status OnLive(const v1::ChangeNotification& c) {
    if (c.change_seq() <= last_) return base::Status::Ok();
    if (c.change_seq() > last_ + 1) return CatchUp();  // missed some: the log has them
    Print(c);
    return base::Status::Ok();
  }

  uint64_t last() const { return last_; }

 private:
  void Print(const v1::ChangeNotification& c) {
    if (done() || c.change_seq() != last_ + 1) return;
    ctx_.out << client::ChangeToJson(c).dump() << "\n";
    ctx_.out.flush();
    last_ = c.change_seq();
    if (remaining_ != UINT64_MAX) --remaining_;
  }

  CtlContext& ctx_;
  bus::QueryTransport& hub_;
  uint64_t last_;
  uint64_t remaining_;
};

}  // namespace

int RunWatch(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"from", "count"}, {}, 0, 0, "omnihubctl watch [--from SEQ] [--count N]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
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
  Watcher watcher(ctx, ctx.hub, last, count);
  if (auto s = watcher.CatchUp(); !s.ok()) return ReportError(ctx, s);

  int64_t quiet_since_us = ctx.clock.MonotonicMicros();
  while (!watcher.done()) {
    if (auto change = live->Next(kLiveWait)) {
      if (auto s = watcher.OnLive(*change); !s.ok()) return ReportError(ctx, s);
      quiet_since_us = ctx.clock.MonotonicMicros();
    } else if (ctx.clock.MonotonicMicros() - quiet_since_us > kQuietUs) {
      // Quiet: a notification at the tail may have been dropped; ask the log.
      if (auto s = watcher.CatchUp(); !s.ok()) return ReportError(ctx, s);
      quiet_since_us = ctx.clock.MonotonicMicros();
    }
  }
  return kExitOk;
}

}  // namespace omnihub::ctl
