// Rebuilding the event a dead letter stands for, with the parsers of this build: the
// heart of `omnihubctl deadletter replay`, kept apart from the sockets so it can be
// tested on its own. A dead letter's source says which parser produced it:
//   "email:..."  - a message omnihub-email could not read: MIME-parsed again with the
//                  envelope its context kept (services/email/parse/email_reader.h);
//   "inject:..." - an ingest line omnihubctl inject rejected: parsed again as a line.
// Other dead letters (raw bus frames no adapter sent) have nothing to re-read.
//
// Thread-safety: a free function; safe to call concurrently with distinct contexts.
#pragma once

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/outbox.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/query.pb.h"
#include "services/email/parse/mime_message.h"

namespace omnihub::ctl {

// Every replayed event carries this flag, so its origin stays visible in the timeline.
inline constexpr char kFlagReplayed[] = "replayed";

struct RebuildContext {
  const event::IdentityNormalizer& normalizer;
  base::UuidV7Generator& ids;
  base::Clock& clock;
  email::MimeOptions mime_options;
};

// The item to publish (event and blobs). InvalidArgument saying why otherwise: the
// source has no parser, or the bytes are still unreadable (with the parser's reason).
base::Result<bus::OutboxItem> RebuildDeadLetter(const v1::DeadLetterEntry& dead_letter, const RebuildContext& ctx);

}  // namespace omnihub::ctl
