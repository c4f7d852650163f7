// Stable lower-case names of the event enums, as they appear in the ingest format,
// in omnihubctl output and in the HTTP API, and parsing them back.
//
// The names are contract (see docs/ingest-format.md): never rename one.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::event {

// "email", "sms", "whatsapp", "messenger", "instagram", "telegram", "x", "api", "note";
// "unspecified" for CHANNEL_UNSPECIFIED and "unknown" for values outside the enum.
std::string_view ChannelName(v1::Channel channel);
// Inverse of ChannelName for the nine real channels (ASCII case-insensitive).
// InvalidArgument "unknown channel 'fax' (use one of email, sms, ...)" otherwise.
base::Result<v1::Channel> ParseChannel(std::string_view name);

// "inbound", "outbound" (and "unspecified" / "unknown").
std::string_view DirectionName(v1::Direction direction);
base::Result<v1::Direction> ParseDirection(std::string_view name);

// "message", "edit", "delete", "reaction", "status", "note" (NOTE_ADDED), "activity"
// (and "unspecified" / "unknown").
std::string_view EventKindName(v1::EventKind kind);
base::Result<v1::EventKind> ParseEventKind(std::string_view name);

// "email", "phone", "platform" (and "unspecified" / "unknown").
std::string_view IdentityKindName(v1::Identity::Kind kind);

}  // namespace omnihub::event
