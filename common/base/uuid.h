// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 12 bits of sub-millisecond
// counter, variant, 62 random bits. Ids from one generator are strictly increasing,
// even within one millisecond and when the wall clock steps back, so byte order is
// acceptance order. Also name-based UUIDv5, for ids that must be derived, not generated.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/base/env.h"

namespace omnihub::base {

inline constexpr size_t kUuidBytes = 16;

class UuidV7Generator {
 public:
  // `clock` and `random` must outlive the generator. Thread-safe.
  UuidV7Generator(Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}
  // Returns 16 raw bytes.
  std::string Next();

 private:
  Clock& clock_;
  RandomSource& random_;
  std::mutex mu_;
  uint64_t last_ms_ = 0;   // guarded by mu_
  uint32_t counter_ = 0;   // guarded by mu_; 12 bits
};

// A name-based UUIDv5 (RFC 9562 section 5.5): SHA-1 of the 16 namespace bytes followed by
// `name`, truncated to 16 bytes, with version 5 and the RFC variant. The same namespace and
// name always give the same id, which is what derived ids need. Returns 16 raw bytes.
// REQUIRES: namespace_bytes.size() == 16.
std::string UuidV5(std::string_view namespace_bytes, std::string_view name);

// "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b". REQUIRES: bytes.size() == 16.
std::string UuidToString(std::string_view bytes);
// Parses the canonical 36-character form (either case). False on any defect.
bool UuidFromString(std::string_view text, std::string* bytes);
// The millisecond timestamp of a UUIDv7. REQUIRES: bytes.size() == 16.
uint64_t UuidV7Millis(std::string_view bytes);

}  // namespace omnihub::base
