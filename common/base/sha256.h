// SHA-256 (OpenSSL), the content address of blobs and the derived ids of messages
// that arrive without one.
#pragma once

#include <string>
#include <string_view>

namespace omnihub::base {

// 32 raw bytes.
std::string Sha256(std::string_view bytes);
// 64 lower-case hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace omnihub::base
