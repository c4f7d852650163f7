// zstd compression for stored payloads (raw messages kept for audit).
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::base {

std::string ZstdCompress(std::string_view data, int level = 3);
// Corruption when `data` is not one complete zstd frame or exceeds `max_bytes` decompressed.
Result<std::string> ZstdDecompress(std::string_view data, size_t max_bytes = size_t{1} << 30);

}  // namespace omnihub::base
