// RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC).
//
// Used wherever time crosses a text boundary: the ingest format, omnihubctl output,
// the HTTP API. Computed arithmetically (proleptic Gregorian calendar), so the result
// never depends on the TZ environment variable or the C library's locale.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::base {

// Parses "2026-11-23T10:00:00Z", "2026-11-23t10:00:00.5+01:00", "2026-11-23 10:00:00.123456789-08:00".
// Grammar (RFC 3339 section 5.6): full-date ('T' | 't' | ' ') partial-time ('Z' | 'z' | ('+'|'-') hh ':' mm),
// with an optional fraction of 1-9 digits, truncated (towards the past) to microseconds.
// Years 0000-9999. InvalidArgument naming the text and the defect for anything else: an impossible
// date (Feb 30), hour 24, second 60 (leap seconds have no representation in Unix time), a missing
// offset, trailing text.
Result<int64_t> ParseRfc3339Micros(std::string_view text);

// Always UTC with six fraction digits: "2026-11-23T10:00:00.000000Z". Negative values are times
// before 1970. Years outside 0000-9999 (far beyond any real event) print with more digits or a
// '-' sign and do not parse back.
std::string FormatRfc3339Micros(int64_t us);

}  // namespace omnihub::base
