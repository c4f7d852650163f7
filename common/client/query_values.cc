#include "common/client/query_values.h"

#include <string>

#include "common/base/coding.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/event/enum_names.h"

namespace omnihub::client {

base::Result<int64_t> ParseTimeValue(std::string_view value) {
  std::string text(value);
  if (text.size() == 10) text += "T00:00:00Z";
  auto t = base::ParseRfc3339Micros(text);
  if (!t.ok()) {
    return base::Status::InvalidArgument("'" + std::string(value) +
                                         "' is not a time (use RFC 3339 like 2026-11-23T09:30:00Z, or a date like 2026-11-23)");
  }
  return *t;
}

namespace {

// Parses every comma-separated name of `value` with `parse` and appends the values to `out`.
template <typename Enum, typename ParseFn>
base::Status ParseList(std::string_view value, ParseFn parse, std::vector<Enum>* out) {
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = value.find(',', start);
    const std::string_view name = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    base::Result<Enum> parsed = parse(name);
    if (!parsed.ok()) return parsed.status();
    out->push_back(*parsed);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return base::Status::Ok();
}

}  // namespace

base::Status ParseChannelList(std::string_view value, std::vector<v1::Channel>* out) {
  return ParseList(value, event::ParseChannel, out);
}

base::Status ParseKindList(std::string_view value, std::vector<v1::EventKind>* out) {
  return ParseList(value, event::ParseEventKind, out);
}

base::Result<std::string> ParseMetricsGrouping(std::string_view value) {
  for (std::string_view by : {"day", "week", "month", "channel", "account"}) {
    if (value == by) return std::string(by);
  }
  return base::Status::InvalidArgument("'" + std::string(value) + "' is not one of day, week, month, channel, account");
}

base::Result<v1::SearchRequest::Order> ParseSearchOrder(std::string_view value) {
  if (value == "newest") return v1::SearchRequest::NEWEST;
  if (value == "relevance") return v1::SearchRequest::RELEVANCE;
  return base::Status::InvalidArgument("'" + std::string(value) + "' is not an order (use newest or relevance)");
}

base::Result<std::string> ParseSha256Hex(std::string_view value) {
  std::string bytes;
  if (value.size() != 64 || !base::HexDecode(value, &bytes)) {
    return base::Status::InvalidArgument("'" + std::string(value) +
                                         "' is not a SHA-256 (64 hex digits, as printed in a timeline's attachments)");
  }
  return bytes;
}

base::Result<std::string> ParseSuggestionId(std::string_view value) {
  std::string bytes;
  if (value.size() != 32 || !base::HexDecode(value, &bytes)) {
    return base::Status::InvalidArgument("'" + std::string(value) +
                                         "' is not a suggestion id (32 hex digits, the suggestion_id a listing prints)");
  }
  return base::LowerAscii(value);
}

}  // namespace omnihub::client
