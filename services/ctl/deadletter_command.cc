// omnihubctl deadletter list|replay. `list` is a query (query_commands.cc); `replay`
// reads a dead letter's kept bytes again with the re-parser registered for its source
// (ctx.reparsers, filled by reparsers.cc) and, when they now
// yield an event, publishes it through its own durable outbox and waits for the
// unifier's commit. Replaying twice is harmless: the event carries the same provider
// message id, so the unifier keeps one.
#include <nlohmann/json.hpp>

#include "common/bus/dead_letter_entry.h"
#include "common/base/uuid.h"
#include "common/bus/query_transport.h"
#include "common/event/identity.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/commit_wait.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/inject_config.h"
#include "services/ctl/reparser.h"

namespace omnihub::ctl {
namespace {

constexpr char kReplayUsage[] = "omnihubctl deadletter replay ID [--outbox DIR] [--timeout SECONDS]";

base::Result<v1::DeadLetterEntry> FetchDeadLetter(CtlContext& ctx, uint64_t id) {
  v1::QueryRequest req;
  req.mutable_dead_letters()->set_after_id(id - 1);
  req.mutable_dead_letters()->set_limit(1);
  auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) return resp.status();
  std::vector<v1::DeadLetterEntry> list = bus::DeadLetterEntries(std::move(*resp->mutable_dead_letters()));
  if (list.empty() || list[0].dead_letter_id() != id) {
    return base::Status::NotFound("no dead letter " + std::to_string(id) + " (omnihubctl deadletter list shows them)");
  }
  return std::move(list[0]);
}

int RunReplay(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"outbox", "timeout"}, {}, 2, 2, kReplayUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto id = ParsePositive("ID", parsed->positional[1]);
  if (!id.ok()) return ReportError(ctx, id.status());
  std::chrono::seconds timeout(0);
  if (parsed->Has("timeout")) {
    auto t = ParsePositive("timeout", parsed->Get("timeout"));
    if (!t.ok()) return ReportError(ctx, t.status());
    timeout = std::chrono::seconds(*t);
  }

  auto dead_letter = FetchDeadLetter(ctx, *id);
  if (!dead_letter.ok()) return ReportError(ctx, dead_letter.status());
  event::IdentityNormalizer normalizer(ctx.config.identity.default_region);
  base::UuidV7Generator ids(ctx.clock, ctx.random);
  auto rebuilt = ctx.reparsers.Rebuild(*dead_letter, RebuildContext{normalizer, ids, ctx.clock});
  if (!rebuilt.ok()) {
    ctx.err << "omnihubctl: " << rebuilt.status().message() << "\n";
    return kExitFailed;
  }
  const v1::Event& event = rebuilt->event;
  bus::OutboxItem item;
  item.event_bytes = event.SerializeAsString();
  item.blobs = std::move(rebuilt->blobs);

  // Its own outbox, so a replay never waits for (or blocks) a running inject.
  const std::string outbox_dir = parsed->Get("outbox", ctx.config.Get<InjectConfig>().outbox_dir + "-replay");
  auto outbox = bus::Outbox::Open(outbox_dir, "replay", ctx.random);
  if (!outbox.ok()) {
    return ReportError(ctx, outbox.status().WithContext("replay outbox (is another replay running? use --outbox DIR)"));
  }
  const std::unique_ptr<EventPublisher> publisher = ctx.publishers(**outbox);
  std::vector<bus::OutboxItem> items;
  items.push_back(std::move(item));
  auto seqs = publisher->Publish(std::move(items), {});
  if (!seqs.ok()) return ReportError(ctx, seqs.status().WithContext("cannot persist to the replay outbox"));
  if (!WaitForCommit(ctx, *publisher, seqs->back(), timeout, "replay",
                     "the event is safe in the replay outbox and is delivered by the next replay")) {
    return kExitUnavailable;
  }
  const nlohmann::json j = {{"dead_letter_id", *id},
                            {"event_id", base::UuidToString(event.event_id())},
                            {"provider_message_id", event.provider_message_id()},
                            {"committed", true}};
  ctx.out << j.dump() << "\n";
  return kExitOk;
}

}  // namespace

int RunDeadLetterCommand(CtlContext& ctx, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "replay") return RunReplay(ctx, args);
  return RunDeadLetter(ctx, args);
}

}  // namespace omnihub::ctl
