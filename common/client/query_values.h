// Values that omnihubctl options and API query parameters spell the same way: times (RFC 3339
// or a plain date, midnight UTC) and channel lists ("sms,whatsapp"). Each error says what to
// write instead; the caller adds the option or parameter name.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::client {

// Microseconds since the Unix epoch.
base::Result<int64_t> ParseTimeValue(std::string_view value);
// Appends every comma-separated channel name of `value` to `out`.
base::Status ParseChannelList(std::string_view value, std::vector<v1::Channel>* out);

}  // namespace omnihub::client
