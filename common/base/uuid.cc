#include "common/base/uuid.h"

#include <openssl/sha.h>

#include "common/base/coding.h"

namespace omnihub::base {

std::string UuidV7Generator::Next() {
  uint64_t ms = 0;
  uint32_t counter = 0;
  {
    std::lock_guard lock(mu_);
    const auto now_ms = static_cast<uint64_t>(clock_.NowMicros() / 1000);
    if (now_ms > last_ms_) {
      last_ms_ = now_ms;
      counter_ = 0;
    } else if (++counter_ > 0xfff) {
      // Counter exhausted (or the clock stepped back): borrow the next millisecond
      // so that ids keep increasing.
      ++last_ms_;
      counter_ = 0;
    }
    ms = last_ms_;
    counter = counter_;
  }
  const uint64_t rand = random_.Next64();
  std::string out;
  out.reserve(kUuidBytes);
  // Bytes 0-5: milliseconds; 6-7: version 7 + 12-bit counter; 8-15: variant + random.
  PutFixed64BE(&out, (ms << 16) | (0x7000u | counter));
  PutFixed64BE(&out, (rand & 0x3fffffffffffffffULL) | 0x8000000000000000ULL);
  return out;
}

std::string UuidV5(std::string_view namespace_bytes, std::string_view name) {
  std::string input;
  input.reserve(namespace_bytes.size() + name.size());
  input.append(namespace_bytes);
  input.append(name);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  std::string out(reinterpret_cast<const char*>(digest), kUuidBytes);
  out[6] = static_cast<char>((static_cast<uint8_t>(out[6]) & 0x0f) | 0x50);  // version 5
  out[8] = static_cast<char>((static_cast<uint8_t>(out[8]) & 0x3f) | 0x80);  // variant 10
  return out;
}

std::string UuidToString(std::string_view bytes) {
  const std::string hex = HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

bool UuidFromString(std::string_view text, std::string* bytes) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    return false;
  }
  std::string hex;
  hex.reserve(32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    hex.push_back(text[i]);
  }
  return HexDecode(hex, bytes);
}

uint64_t UuidV7Millis(std::string_view bytes) { return DecodeFixed64BE(bytes) >> 16; }

}  // namespace omnihub::base
