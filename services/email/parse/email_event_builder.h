// Turns a received email (its parsed MIME content, its raw bytes and the SMTP
// envelope) into the normalized Event plus the blobs it refers to: each attachment's
// bytes and the raw message (zstd-compressed, for audit and reprocessing).
//
// Rules (docs/email.md): one event per message, naming every accepted recipient;
// account = the first accepted business mailbox; provider_message_id = the
// Message-ID without angle brackets, or "sha256:<hex of the raw bytes>" when there is
// none, so a relay's resend of the same bytes is still recognized; conversation = the
// thread root (first References id, else In-Reply-To, else the message's own id);
// occurred_at = the Date header, or the receive time when it is missing or garbled.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"
#include "services/email/parse/mime_message.h"

namespace omnihub::email {

struct EmailEvent {
  v1::Event event;
  std::vector<v1::Blob> blobs;
};

struct EmailSource {
  std::string mail_from;                // envelope sender ("" for <> or Maildir)
  std::vector<std::string> recipients;  // accepted business addresses, first = account;
                                        // empty (Maildir): the To and Cc headers are used
};

// InvalidArgument when the message names no usable sender (neither From nor the
// envelope sender parses): the caller keeps it as a dead letter.
base::Result<EmailEvent> BuildEmailEvent(const ParsedEmail& mail, std::string_view raw, const EmailSource& source,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids, base::Clock& clock);

}  // namespace omnihub::email
