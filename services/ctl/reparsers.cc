#include "services/ctl/reparsers.h"

#include "common/event/ingest_json.h"
#include "services/email/email_config.h"
#include "services/email/parse/email_reader.h"

namespace omnihub::ctl {

ReparseFn EmailReparser(email::MimeOptions options) {
  return [options](const v1::DeadLetterEntry& dl, const RebuildContext& ctx) -> base::Result<RebuiltEvent> {
    auto read = email::ReadEmail(dl.raw(), email::LoadEnvelope(dl.context()), ctx.normalizer, ctx.ids, ctx.clock, options);
    if (!read.ok()) return read.status();
    return RebuiltEvent{std::move(read->event), std::move(read->blobs)};
  };
}

ReparseFn InjectReparser() {
  return [](const v1::DeadLetterEntry& dl, const RebuildContext& ctx) -> base::Result<RebuiltEvent> {
    auto parsed = event::ParseIngestLine(dl.raw(), event::IngestContext{ctx.normalizer, ctx.ids, ctx.clock});
    if (!parsed.ok()) return parsed.status();
    return RebuiltEvent{std::move(*parsed), {}};
  };
}

void RegisterReparsers(const config::Config& config, ReparserRegistry* registry) {
  email::MimeOptions mime_options;
  mime_options.max_attachment_bytes = config.Get<email::EmailConfig>().max_attachment_bytes;
  // The source names are what the adapters write: email::kEmailDeadLetterSourcePrefix,
  // inject_command.cc's "inject:PATH:LINE".
  registry->Register(std::string(SourceName(email::kEmailDeadLetterSourcePrefix)), "omnihub-email",
                     EmailReparser(mime_options));
  registry->Register("inject", "omnihubctl inject", InjectReparser());
  registry->RegisterUnreplayable("sms", kSmsNotReplayable);
}

}  // namespace omnihub::ctl
