#include "common/client/query_values.h"

#include <string>

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

base::Status ParseChannelList(std::string_view value, std::vector<v1::Channel>* out) {
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = value.find(',', start);
    const std::string_view name = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto ch = event::ParseChannel(name);
    if (!ch.ok()) return ch.status();
    out->push_back(*ch);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return base::Status::Ok();
}

}  // namespace omnihub::client
