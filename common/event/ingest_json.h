// The integrators' ingest format: one JSON object per line, turned into a normalized Event.
// The format is a public contract, documented with examples in docs/ingest-format.md; keep
// the two in step and never rename a key.
//
// Thread-safety: ParseIngestLine is safe to call concurrently when the context's members are
// (IdentityNormalizer and UuidV7Generator are; the Clock implementations in env.h are).
#pragma once

#include <string_view>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::event {

// Dependencies of the parser; all borrowed, and must outlive the call.
struct IngestContext {
  const IdentityNormalizer& normalizer;
  base::UuidV7Generator& ids;
  base::Clock& clock;
};

// Parses one line (a JSON object; a trailing "\n" or "\r\n" is ignored) into a validated,
// normalized Event with a fresh event_id (ctx.ids.Next()) and received_at_us = ctx.clock.NowMicros().
// Without a provider_message_id the id is "sha256:<hex SHA-256 of the line without its terminator>",
// so that re-sending the same line is recognized as the same message.
// InvalidArgument naming the field and the defect on any bad input (never throws).
base::Result<v1::Event> ParseIngestLine(std::string_view line, const IngestContext& ctx);

}  // namespace omnihub::event
