// The framing every value omnihub stores in RocksDB shares: one format-version byte, then
// the payload (a serialized message, raw bytes, a big-endian counter). A reader names the
// version it understands and refuses any other instead of misreading it; a newer build that
// changes a value's layout writes a new version and keeps reading the old one.
// docs/storage-format.md describes the rule; each column family's doc names its version.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::storage {

// `version` followed by `payload`.
std::string FrameValue(uint8_t version, std::string_view payload);

// The payload of a value framed with `version`. Corruption naming `what` when the value is
// empty or carries another version. The result points into `value`.
base::Result<std::string_view> UnframeValue(std::string_view value, uint8_t version, std::string_view what);

}  // namespace omnihub::storage
