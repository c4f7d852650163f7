#include "common/base/time_format.h"

#include <cstdio>
#include <string>

namespace omnihub::base {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of a proleptic Gregorian date (the algorithm from
// "chrono-Compatible Low-Level Date Algorithms", H. Hinnant). Valid for all int64 years we use.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at `*pos`.
bool ReadDigits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

Status Invalid(std::string_view text, std::string_view defect) {
  constexpr size_t kMaxShown = 64;
  std::string shown(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) shown += "...";
  return Status::InvalidArgument("invalid RFC 3339 timestamp '" + shown + "': " + std::string(defect) +
                                 " (expected e.g. 2026-11-23T10:00:00Z or 2026-11-23T11:00:00.250+01:00)");
}

}  // namespace

Result<int64_t> ParseRfc3339Micros(std::string_view text) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &month) ||
      !Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &day)) {
    return Invalid(text, "date must be YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return Invalid(text, "month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return Invalid(text, "day does not exist in that month");
  if (pos >= text.size()) return Invalid(text, "missing time and offset");
  const char sep = text[pos];
  if (sep != 'T' && sep != 't' && sep != ' ') return Invalid(text, "date and time must be separated by 'T'");
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') || !ReadDigits(text, &pos, 2, &minute) ||
      !Expect(text, &pos, ':') || !ReadDigits(text, &pos, 2, &second)) {
    return Invalid(text, "time must be hh:mm:ss");
  }
  if (hour > 23) return Invalid(text, "hour out of range (00-23)");
  if (minute > 59) return Invalid(text, "minute out of range (00-59)");
  if (second == 60) return Invalid(text, "leap second 60 is not supported");
  if (second > 59) return Invalid(text, "second out of range (00-59)");

  int64_t fraction_us = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    int64_t scale = 100'000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        fraction_us += (text[pos] - '0') * scale;
        scale /= 10;
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) return Invalid(text, "empty fraction after '.'");
    if (digits > 9) return Invalid(text, "fraction longer than 9 digits");
  }

  if (pos >= text.size()) return Invalid(text, "missing UTC offset ('Z' or +hh:mm)");
  int offset_seconds = 0;
  const char zone = text[pos];
  if (zone == 'Z' || zone == 'z') {
    ++pos;
  } else if (zone == '+' || zone == '-') {
    ++pos;
    int oh = 0, om = 0;
    if (!ReadDigits(text, &pos, 2, &oh) || !Expect(text, &pos, ':') || !ReadDigits(text, &pos, 2, &om)) {
      return Invalid(text, "offset must be +hh:mm or -hh:mm");
    }
    if (oh > 23 || om > 59) return Invalid(text, "offset out of range");
    offset_seconds = (oh * 3600 + om * 60) * (zone == '-' ? -1 : 1);
  } else {
    return Invalid(text, "missing UTC offset ('Z' or +hh:mm)");
  }
  if (pos != text.size()) return Invalid(text, "unexpected text after the offset");

  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * kMicrosPerSecond + fraction_us;
}

std::string FormatRfc3339Micros(int64_t us) {
  // Floor division, so that times before 1970 get a non-negative fraction and time of day.
  int64_t seconds = us / kMicrosPerSecond;
  int64_t micros = us % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    seconds -= 1;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    days -= 1;
  }
  int64_t year = 0;
  int month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  const int hour = static_cast<int>(second_of_day / 3600);
  const int minute = static_cast<int>(second_of_day / 60 % 60);
  const int second = static_cast<int>(second_of_day % 60);
  if (year < 0 || year > 9999) {  // rare: printf handles the sign and the width
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d.%06lldZ", static_cast<long long>(year), month,
                  day, hour, minute, second, static_cast<long long>(micros));
    return buf;
  }
  // Digits written in place: this runs for every time of every answered event.
  std::string out = "0000-00-00T00:00:00.000000Z";
  auto put = [&out](size_t end, int64_t value) {  // `value` right-aligned, ending before `end`
    for (size_t i = end; value > 0; value /= 10) out[--i] = static_cast<char>('0' + value % 10);
  };
  put(4, year);
  put(7, month);
  put(10, day);
  put(13, hour);
  put(16, minute);
  put(19, second);
  put(26, micros);
  return out;
}

}  // namespace omnihub::base
