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
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "common/bus/query_client.h"

namespace omnihub::ctl {
namespace {

std::string_view ChangeKindName(v1::ChangeKind kind) {
  switch (kind) {
    case v1::EVENT_ADDED:
      return "event_added";
    case v1::CUSTOMER_CREATED:
      return "customer_created";
    case v1::DEAD_LETTERED:
      return "dead_lettered";
    case v1::STATUS_ADDED:
      return "status_added";
    default:
      return "unknown";
  }
}

nlohmann::json ChangeToJson(const v1::ChangeNotification& c) {
  nlohmann::json j = {{"change_seq", c.change_seq()},
                      {"kind", ChangeKindName(c.kind())},
                      {"committed_at", base::FormatRfc3339Micros(c.committed_at_us())}};
  if (!c.customer_id().empty()) j["customer_id"] = c.customer_id();
  if (c.event_id().size() == base::kUuidBytes) j["event_id"] = base::UuidToString(c.event_id());
  if (c.kind() == v1::EVENT_ADDED || c.kind() == v1::STATUS_ADDED) {
    j["channel"] = event::ChannelName(c.channel());
    j["occurred_at"] = base::FormatRfc3339Micros(c.occurred_at_us());
  }
  if (c.message_event_id().size() == base::kUuidBytes) j["message_event_id"] = base::UuidToString(c.message_event_id());
  if (!c.delivery_state().empty()) j["state"] = c.delivery_state();
  if (c.has_identity()) j["identity"] = event::IdentityToArgument(c.identity());
  if (c.dead_letter_id() != 0) j["dead_letter_id"] = c.dead_letter_id();
  return j;
}

class Watcher {
 public:
  Watcher(CtlContext& ctx, bus::QueryClient& hub, uint64_t last, uint64_t count)
      : ctx_(ctx), hub_(hub), last_(last), remaining_(count) {}

  bool done() const { return remaining_ == 0; }

  // Prints every change after last_ that the change log holds.
  base::Status CatchUp() {
    while (!done()) {
      v1::QueryRequest req;
      req.mutable_change_log()->set_from_seq(last_ + 1);
      req.mutable_change_log()->set_limit(1000);
      auto resp = hub_.Call(req);
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
    ctx_.out << ChangeToJson(c).dump() << "\n";
    ctx_.out.flush();
    last_ = c.change_seq();
    if (remaining_ != UINT64_MAX) --remaining_;
  }

  CtlContext& ctx_;
  bus::QueryClient& hub_;
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
  zmq::socket_t sub(ctx.zmq, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect(ctx.config.bus.changes);
  bus::QueryClient hub(ctx.zmq, ctx.config.bus.query);

  uint64_t last = 0;
  if (parsed->Has("from")) {
    auto from = ParsePositive("from", parsed->Get("from"));
    if (!from.ok()) return ReportError(ctx, from.status());
    last = *from - 1;
  } else {
    v1::QueryRequest req;
    req.mutable_stats();
    auto resp = hub.Call(req);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    last = resp->stats().last_change_seq();
  }
  Watcher watcher(ctx, hub, last, count);
  if (auto s = watcher.CatchUp(); !s.ok()) return ReportError(ctx, s);

  auto quiet_since = std::chrono::steady_clock::now();
  while (!watcher.done()) {
    zmq::pollitem_t items[] = {{sub.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(500));
    if (items[0].revents & ZMQ_POLLIN) {
      zmq::message_t msg;
      if (!sub.recv(msg, zmq::recv_flags::none)) continue;
      v1::ChangeNotification change;
      if (!change.ParseFromArray(msg.data(), static_cast<int>(msg.size()))) continue;
      if (auto s = watcher.OnLive(change); !s.ok()) return ReportError(ctx, s);
      quiet_since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - quiet_since > std::chrono::seconds(2)) {
      // Quiet: a notification at the tail may have been dropped; ask the log.
      if (auto s = watcher.CatchUp(); !s.ok()) return ReportError(ctx, s);
      quiet_since = std::chrono::steady_clock::now();
    }
  }
  return kExitOk;
}

}  // namespace omnihub::ctl
