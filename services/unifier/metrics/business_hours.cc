// The weekly schedule of first response times: parsing and counting (business_hours.h).
#include "services/unifier/metrics/business_hours.h"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>

namespace omnihub::unifier::metrics {

struct ZoneRules {
  std::unique_ptr<const icu::TimeZone> zone;
};

namespace {

constexpr std::array<std::string_view, 7> kDayKeys = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int kMinutesPerDay = 24 * 60;

// "HH:MM" -> minutes after midnight; 24:00 only when `end`.
std::optional<int> ParseClock(std::string_view text, bool end) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59) return std::nullopt;
  if (hours < 24) return hours * 60 + minutes;
  if (end && hours == 24 && minutes == 0) return kMinutesPerDay;
  return std::nullopt;
}

base::Result<std::optional<BusinessHours::Range>> ParseRange(std::string_view key, std::string_view text) {
  if (text.empty()) return std::optional<BusinessHours::Range>();
  const auto dash = text.find('-');
  const auto start = dash == std::string_view::npos ? std::nullopt : ParseClock(text.substr(0, dash), false);
  const auto end = dash == std::string_view::npos ? std::nullopt : ParseClock(text.substr(dash + 1), true);
  if (!start || !end) {
    return base::Status::InvalidArgument(std::string(key) + ": '" + std::string(text) +
                                         "' is not HH:MM-HH:MM (e.g. 09:00-17:00; \"\" for closed)");
  }
  if (*end <= *start) {
    return base::Status::InvalidArgument(std::string(key) + ": '" + std::string(text) +
                                         "' ends before it starts (one range within a day, 00:00-24:00)");
  }
  return std::optional<BusinessHours::Range>(BusinessHours::Range{*start, *end});
}

std::string TwoDigits(int v) { return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

// Local midnight of (year, month 0-11, day) and the hours after it, as a UTC time in
// milliseconds. ICU places a local time that a clock change skips after the change.
double LocalTime(icu::Calendar& cal, int32_t year, int32_t month, int32_t day, int minutes) {
  UErrorCode status = U_ZERO_ERROR;
  cal.clear();
  cal.set(year, month, day, minutes / 60, minutes % 60, 0);
  const double t = cal.getTime(status);
  return U_SUCCESS(status) ? t : 0;
}

// A calendar in the zone of `rules`, one per thread: making one costs more than counting a
// short span with it. The thread holds the rules it was made for, so their address cannot be
// reused by other rules while it compares against it.
icu::Calendar* CalendarFor(const std::shared_ptr<const ZoneRules>& rules) {
  thread_local std::shared_ptr<const ZoneRules> made_for;
  thread_local std::unique_ptr<icu::GregorianCalendar> calendar;
  if (made_for != rules || calendar == nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    calendar = std::make_unique<icu::GregorianCalendar>(*rules->zone, status);
    if (U_FAILURE(status)) calendar.reset();
    made_for = rules;
  }
  return calendar.get();
}

int64_t MillisToMicros(double ms) { return static_cast<int64_t>(std::llround(ms)) * 1000; }

}  // namespace

std::string_view DayKey(int iso_day_index) { return kDayKeys.at(static_cast<size_t>(iso_day_index)); }

std::string FormatRange(const std::optional<BusinessHours::Range>& range) {
  if (!range) return "";
  return TwoDigits(range->start_min / 60) + ":" + TwoDigits(range->start_min % 60) + "-" +
         TwoDigits(range->end_min / 60) + ":" + TwoDigits(range->end_min % 60);
}

base::Result<BusinessHours> ParseBusinessHours(const std::vector<std::pair<std::string, std::string>>& entries,
                                               std::string_view key_prefix) {
  BusinessHours hours;
  bool has_zone = false;
  std::array<bool, 7> seen{};
  for (const auto& [name, value] : entries) {
    const std::string key = std::string(key_prefix) + "." + name;
    if (name == "zone") {
      if (has_zone) return base::Status::InvalidArgument(key + ": given twice");
      has_zone = true;
      std::unique_ptr<icu::TimeZone> zone(
          icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(),
                                                                                      static_cast<int32_t>(value.size())))));
      // ICU answers a name it does not know with the zone "Etc/Unknown" (UTC's rules).
      icu::UnicodeString id, unknown_id;
      icu::TimeZone::getUnknown().getID(unknown_id);
      if (value.empty() || zone == nullptr || zone->getID(id) == unknown_id) {
        return base::Status::InvalidArgument(key + ": '" + value +
                                             "' is not an IANA time zone (e.g. \"Europe/Budapest\", \"UTC\")");
      }
      hours.zone = value;
      auto rules = std::make_shared<ZoneRules>();
      rules->zone = std::move(zone);
      hours.rules = std::move(rules);
      continue;
    }
    const auto day = std::find(kDayKeys.begin(), kDayKeys.end(), name);
    if (day == kDayKeys.end()) {
      return base::Status::InvalidArgument(key + ": unknown key (use zone, mon, tue, wed, thu, fri, sat, sun)");
    }
    const auto index = static_cast<size_t>(day - kDayKeys.begin());
    if (seen[index]) return base::Status::InvalidArgument(key + ": given twice");
    seen[index] = true;
    auto range = ParseRange(key, value);
    if (!range.ok()) return range.status();
    hours.days[index] = *range;
  }
  if (!has_zone) {
    return base::Status::InvalidArgument(std::string(key_prefix) +
                                         ".zone: missing (the IANA time zone of the schedule, e.g. \"Europe/Budapest\")");
  }
  return hours;
}

int64_t BusinessMicros(const BusinessHours& hours, int64_t from_us, int64_t to_us) {
  if (to_us <= from_us || hours.rules == nullptr) return 0;
  if (std::none_of(hours.days.begin(), hours.days.end(), [](const auto& d) { return d.has_value(); })) return 0;
  icu::Calendar* calendar = CalendarFor(hours.rules);
  if (calendar == nullptr) return 0;
  icu::Calendar& cal = *calendar;
  UErrorCode status = U_ZERO_ERROR;
  // The local day `from_us` falls on, then one local day after another until one starts at
  // or after `to_us`.
  cal.setTime(static_cast<double>(from_us / 1000 - (from_us % 1000 < 0 ? 1 : 0)), status);
  int32_t year = cal.get(UCAL_EXTENDED_YEAR, status);
  int32_t month = cal.get(UCAL_MONTH, status);
  int32_t day = cal.get(UCAL_DATE, status);
  if (U_FAILURE(status)) return 0;
  int64_t total = 0;
  for (;;) {
    const int64_t day_start = MillisToMicros(LocalTime(cal, year, month, day, 0));
    if (day_start >= to_us) break;
    // ICU numbers the days Sunday = 1 ... Saturday = 7.
    const int weekday = cal.get(UCAL_DAY_OF_WEEK, status);
    const auto& range = hours.days[static_cast<size_t>((weekday + 5) % 7)];
    if (range) {
      const int64_t open = MillisToMicros(LocalTime(cal, year, month, day, range->start_min));
      const int64_t close = MillisToMicros(LocalTime(cal, year, month, day, range->end_min));
      total += std::max<int64_t>(0, std::min(close, to_us) - std::max(open, from_us));
    }
    // The next local day (12:00, which every clock change leaves in the same day).
    LocalTime(cal, year, month, day, 12 * 60);
    cal.add(UCAL_DATE, 1, status);
    year = cal.get(UCAL_EXTENDED_YEAR, status);
    month = cal.get(UCAL_MONTH, status);
    day = cal.get(UCAL_DATE, status);
    if (U_FAILURE(status)) break;
  }
  return total;
}

}  // namespace omnihub::unifier::metrics
