#include "services/ctl/query_options.h"

#include "common/client/query_values.h"

namespace omnihub::ctl {

base::Result<int64_t> ParseTimeOption(const std::string& option, const std::string& value) {
  auto t = client::ParseTimeValue(value);
  if (!t.ok()) return base::Status::InvalidArgument("--" + option + " " + t.status().message());
  return *t;
}

base::Result<TimeRangeOptions> ParseTimeRangeOptions(const ParsedArgs& parsed) {
  TimeRangeOptions range;
  for (auto [option, out] : {std::pair{"since", &range.since_us}, std::pair{"until", &range.until_us}}) {
    if (!parsed.Has(option)) continue;
    auto t = ParseTimeOption(option, parsed.Get(option));
    if (!t.ok()) return t.status();
    *out = *t;
  }
  if (range.since_us && range.until_us && *range.until_us <= *range.since_us) {
    return base::Status::InvalidArgument("--until must be after --since");
  }
  return range;
}

base::Result<std::vector<v1::Channel>> ParseChannelOptions(const ParsedArgs& parsed) {
  std::vector<v1::Channel> channels;
  auto it = parsed.options.find("channel");
  if (it == parsed.options.end()) return channels;
  for (const auto& value : it->second) {
    if (auto s = client::ParseChannelList(value, &channels); !s.ok()) {
      return base::Status::InvalidArgument("--channel: " + s.message());
    }
  }
  return channels;
}

}  // namespace omnihub::ctl
