// The re-parsers of this build, one per channel that keeps replayable dead letters, and
// the one place that registers them (omnihubctl's main.cc calls RegisterReparsers):
//   "email"  - a message omnihub-email could not read: MIME-parsed again, with the
//              envelope its context kept, by the parser a delivery uses
//              (services/email/parse/email_reader.h);
//   "inject" - an ingest line omnihubctl inject rejected: parsed again as a line;
//   "sms"    - registered as not replayable: omnihub-sms answers an unreadable webhook
//              with HTTP 400 and keeps nothing, so the provider holds the request.
// Raw bus frames no adapter sent ("bus:...") have nothing to re-read and no entry.
// A new channel adds its function here and one line to RegisterReparsers.
#pragma once

#include "common/config/config.h"
#include "services/ctl/reparser.h"
#include "services/email/parse/mime_message.h"

namespace omnihub::ctl {

ReparseFn EmailReparser(email::MimeOptions options);
ReparseFn InjectReparser();

// Why "sms:..." dead letters are not replayed (also the message a replay of one prints).
inline constexpr char kSmsNotReplayable[] =
    "omnihub-sms keeps no dead letters: it refuses an unreadable webhook with HTTP 400 "
    "(docs/sms.md), so the provider keeps the request and reports it; there are no kept bytes to read again";

// Registers every re-parser above, with the limits `config` sets (email.max_attachment_bytes).
void RegisterReparsers(const config::Config& config, ReparserRegistry* registry);

}  // namespace omnihub::ctl
