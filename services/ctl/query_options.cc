#include "services/ctl/query_options.h"

#include "common/base/time_format.h"
#include "common/event/enum_names.h"

namespace omnihub::ctl {

base::Result<int64_t> ParseTimeOption(const std::string& option, const std::string& value) {
  std::string text = value;
  if (text.size() == 10) text += "T00:00:00Z";
  auto t = base::ParseRfc3339Micros(text);
  if (!t.ok()) {
    return base::Status::InvalidArgument("--" + option + " '" + value +
                                   "' is not a time (use RFC 3339 like 2026-11-23T09:30:00Z, or a date like 2026-11-23)");
  }
  return *t;
}

base::Result<std::vector<v1::Channel>> ParseChannelOptions(const ParsedArgs& parsed) {
  std::vector<v1::Channel> channels;
  auto it = parsed.options.find("channel");
  if (it == parsed.options.end()) return channels;
  for (const auto& value : it->second) {
    size_t start = 0;
    while (start <= value.size()) {
      const size_t comma = value.find(',', start);
      const std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      auto ch = event::ParseChannel(name);
      if (!ch.ok()) return base::Status::InvalidArgument("--channel: " + ch.status().message());
      channels.push_back(*ch);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return channels;
}

}  // namespace omnihub::ctl
