#include "services/ctl/dead_letter_rebuild.h"

#include <string>
#include <string_view>

#include "common/event/ingest_json.h"
#include "services/email/parse/email_reader.h"

namespace omnihub::ctl {
namespace {

constexpr std::string_view kInjectSourcePrefix = "inject:";

base::Status StillUnreadable(const v1::DeadLetterEntry& dl, const base::Status& why) {
  return base::Status::InvalidArgument("dead letter " + std::to_string(dl.dead_letter_id()) +
                                 " is still unreadable: " + why.message() + " (it stays a dead letter)");
}

}  // namespace

base::Result<bus::OutboxItem> RebuildDeadLetter(const v1::DeadLetterEntry& dl, const RebuildContext& ctx) {
  const std::string_view source = dl.source();
  bus::OutboxItem item;
  v1::Event event;
  if (source.starts_with(email::kEmailDeadLetterSourcePrefix)) {
    auto read = email::ReadEmail(dl.raw(), email::LoadEnvelope(dl.context()), ctx.normalizer, ctx.ids, ctx.clock,
                                 ctx.mime_options);
    if (!read.ok()) return StillUnreadable(dl, read.status());
    event = std::move(read->event);
    item.blobs = std::move(read->blobs);
  } else if (source.starts_with(kInjectSourcePrefix)) {
    auto parsed = event::ParseIngestLine(dl.raw(), event::IngestContext{ctx.normalizer, ctx.ids, ctx.clock});
    if (!parsed.ok()) return StillUnreadable(dl, parsed.status());
    event = std::move(*parsed);
  } else {
    return base::Status::InvalidArgument("dead letter " + std::to_string(dl.dead_letter_id()) + " came from '" +
                                   std::string(source) +
                                   "', which no parser reads: only dead letters from omnihub-email (source "
                                   "'email:...') and omnihubctl inject ('inject:...') can be replayed");
  }
  event.add_flags(kFlagReplayed);
  item.event_bytes = event.SerializeAsString();
  return item;
}

}  // namespace omnihub::ctl
