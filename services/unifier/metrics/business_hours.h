// The weekly schedule a first response time may be measured in (docs/metrics.md "Business
// hours"): an IANA time zone and, for each weekday, one [start, end) range of local time or
// closed. Parsed from the `[metrics] business_hours` table; BusinessMicros counts the part of a
// span inside it, with the zone's daylight-saving changes taken from ICU's time zone data.
//
// Thread-safety: a BusinessHours is immutable once parsed and may be shared between threads;
// BusinessMicros keeps one ICU calendar per thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace omnihub::unifier::metrics {

// The zone's rules (an ICU time zone), kept out of the header.
struct ZoneRules;

struct BusinessHours {
  // One day's opening hours, minutes after local midnight: [start, end), end <= 24 * 60.
  struct Range {
    int start_min = 0;
    int end_min = 0;
  };
  std::string zone;  // "Europe/Budapest"
  // Monday first (index 0) to Sunday (6), as ISO 8601 numbers the days; nullopt = closed.
  std::array<std::optional<Range>, 7> days;
  std::shared_ptr<const ZoneRules> rules;  // set by ParseBusinessHours
};

// The table's keys in the order it gives them: "zone", "mon" ... "sun", each with its string
// value ("09:00-17:00", "" for closed). A day it leaves out is closed. InvalidArgument naming
// the key (`key_prefix`.key) and what to write instead for an unknown key, a missing or
// unknown zone, a range that is not HH:MM-HH:MM or ends before it starts, a key given twice.
base::Result<BusinessHours> ParseBusinessHours(const std::vector<std::pair<std::string, std::string>>& entries,
                                               std::string_view key_prefix = "metrics.business_hours");

// "09:00-17:00", or "" for a closed day: what ParseBusinessHours reads back.
std::string FormatRange(const std::optional<BusinessHours::Range>& range);
// "mon" ... "sun" for 0 ... 6.
std::string_view DayKey(int iso_day_index);

// The microseconds of [from_us, to_us) that lie inside the schedule, in the zone's local time
// (a day whose clock moves keeps its local opening hours, so its UTC length changes). 0 when
// to_us <= from_us. Walks the local days of the span, so a month-long span costs a month of
// steps.
int64_t BusinessMicros(const BusinessHours& hours, int64_t from_us, int64_t to_us);

}  // namespace omnihub::unifier::metrics
