// Reading one received email into its event: MIME parsing and event building in one
// step, used both on arrival (EmailIngest) and when a dead letter is replayed
// (omnihubctl deadletter replay), so a replay reads a message exactly as a fresh
// delivery would. Also the envelope a dead letter keeps beside the raw bytes: the
// SMTP envelope is not part of the message, and without it a replay could not name
// the recipients the relay delivered to.
//
// Thread-safety: free functions; ReadEmail is safe to call concurrently with
// distinct (or thread-safe) arguments.
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/map.h>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "services/email/parse/email_event_builder.h"
#include "services/email/parse/mime_message.h"

namespace omnihub::email {

// Dead letters from this adapter have sources "email:<origin>" (origin "smtp:ADDR",
// "lmtp:ADDR" or "maildir:FILE").
inline constexpr std::string_view kEmailDeadLetterSourcePrefix = "email:";
// Context keys (bus.proto Rejected.context / store.proto DeadLetter.context /
// query.proto DeadLetterEntry.context).
inline constexpr std::string_view kContextMailFrom = "mail_from";
inline constexpr std::string_view kContextRcptTo = "rcpt_to";  // one address per line

using ContextMap = google::protobuf::Map<std::string, std::string>;

// Parses and builds. InvalidArgument naming the defect when nothing usable could be
// read (the caller keeps the message as a dead letter).
base::Result<EmailEvent> ReadEmail(std::string_view raw, const EmailSource& source, const event::IdentityNormalizer& normalizer,
                             base::UuidV7Generator& ids, base::Clock& clock, const MimeOptions& options);

// Writes the envelope into a dead letter's context; an empty field is left out.
void StoreEnvelope(const EmailSource& source, ContextMap* context);
// The inverse of StoreEnvelope (missing keys: empty fields, as for a Maildir file).
EmailSource LoadEnvelope(const ContextMap& context);

}  // namespace omnihub::email
