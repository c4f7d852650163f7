// Options that several omnihubctl query commands share (timeline, search, metrics): --since/--until
// times and --channel lists, each parsed into what the query protocol takes, with errors that
// name the option and say what to write instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "services/ctl/cli_args.h"

namespace omnihub::ctl {

// --since / --until: RFC 3339, or a plain date (midnight UTC).
base::Result<int64_t> ParseTimeOption(const std::string& option, const std::string& value);

// --since and --until together, each as ParseTimeOption reads it; when both are given, until
// must be later ("--until must be after --since").
struct TimeRangeOptions {
  std::optional<int64_t> since_us;
  std::optional<int64_t> until_us;
};
base::Result<TimeRangeOptions> ParseTimeRangeOptions(const ParsedArgs& parsed);

// Every --channel value (repeated, or comma-separated: --channel sms,whatsapp), in order.
base::Result<std::vector<v1::Channel>> ParseChannelOptions(const ParsedArgs& parsed);

}  // namespace omnihub::ctl
