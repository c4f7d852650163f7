// Values that omnihubctl options and API query parameters spell the same way: times (RFC 3339
// or a plain date, midnight UTC), channel and event kind lists ("sms,whatsapp", "message,note"),
// search orders, metrics groupings, SHA-256 digests and suggestion ids. Each error says what to write instead; the
// caller adds the option or parameter name.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// Microseconds since the Unix epoch.
base::Result<int64_t> ParseTimeValue(std::string_view value);
// Appends every comma-separated channel name of `value` to `out`.
base::Status ParseChannelList(std::string_view value, std::vector<v1::Channel>* out);
// Appends every comma-separated event kind name of `value` ("message", "note", ...) to `out`.
base::Status ParseKindList(std::string_view value, std::vector<v1::EventKind>* out);
// A metrics report's grouping (docs/metrics.md): day, week, month, channel or account.
base::Result<std::string> ParseMetricsGrouping(std::string_view value);
// "newest" or "relevance".
base::Result<v1::SearchRequest::Order> ParseSearchOrder(std::string_view value);
// 64 hex digits (any case), as timelines print an attachment's sha256 -> the 32 raw bytes.
base::Result<std::string> ParseSha256Hex(std::string_view value);
// 32 hex digits (any case), as suggestion listings print suggestion_id -> lower case.
base::Result<std::string> ParseSuggestionId(std::string_view value);

}  // namespace omnihub::client
