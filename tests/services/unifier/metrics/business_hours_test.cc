// Business hours: parsing `[metrics] business_hours` and counting the time inside the
// schedule, across weekends and daylight-saving changes (docs/metrics.md "Business hours").
#include "services/unifier/metrics/business_hours.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/services/unifier/metrics/timeline.h"

namespace omnihub::unifier::metrics {
namespace {

using namespace testing;

BusinessHours Parse(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto r = ParseBusinessHours(entries);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : BusinessHours{};
}

// Monday to Friday 09:00-17:00 in Budapest.
BusinessHours OfficeWeek() {
  return Parse({{"zone", "Europe/Budapest"},
                {"mon", "09:00-17:00"},
                {"tue", "09:00-17:00"},
                {"wed", "09:00-17:00"},
                {"thu", "09:00-17:00"},
                {"fri", "09:00-17:00"},
                {"sat", ""},
                {"sun", ""}});
}

std::string ParseError(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto r = ParseBusinessHours(entries);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}

TEST(BusinessHoursTest, ParsesTheScheduleAndPrintsItBack) {
  BusinessHours hours = Parse({{"zone", "Europe/Budapest"}, {"mon", "09:00-17:30"}, {"sat", "00:00-24:00"}});
  EXPECT_EQ(hours.zone, "Europe/Budapest");
  ASSERT_TRUE(hours.days[0].has_value());
  EXPECT_EQ(hours.days[0]->start_min, 9 * 60);
  EXPECT_EQ(hours.days[0]->end_min, 17 * 60 + 30);
  EXPECT_FALSE(hours.days[1].has_value());  // left out: closed
  EXPECT_EQ(FormatRange(hours.days[0]), "09:00-17:30");
  EXPECT_EQ(FormatRange(hours.days[5]), "00:00-24:00");
  EXPECT_EQ(FormatRange(hours.days[6]), "");
  EXPECT_EQ(DayKey(0), "mon");
  EXPECT_EQ(DayKey(6), "sun");
}

TEST(BusinessHoursTest, ErrorsNameTheKeyAndWhatToWrite) {
  EXPECT_EQ(ParseError({{"zone", "Europe/Budapest"}, {"mon", "9-17"}}),
            "metrics.business_hours.mon: '9-17' is not HH:MM-HH:MM (e.g. 09:00-17:00; \"\" for closed)");
  EXPECT_EQ(ParseError({{"zone", "Europe/Budapest"}, {"tue", "17:00-09:00"}}),
            "metrics.business_hours.tue: '17:00-09:00' ends before it starts (one range within a day, 00:00-24:00)");
  EXPECT_EQ(ParseError({{"zone", "Europe/Budapest"}, {"wed", "09:00-24:30"}}),
            "metrics.business_hours.wed: '09:00-24:30' is not HH:MM-HH:MM (e.g. 09:00-17:00; \"\" for closed)");
  EXPECT_EQ(ParseError({{"zone", "Europe/Budapes"}}),
            "metrics.business_hours.zone: 'Europe/Budapes' is not an IANA time zone (e.g. \"Europe/Budapest\", \"UTC\")");
  EXPECT_EQ(ParseError({{"mon", "09:00-17:00"}}),
            "metrics.business_hours.zone: missing (the IANA time zone of the schedule, e.g. \"Europe/Budapest\")");
  EXPECT_EQ(ParseError({{"zone", "UTC"}, {"monday", "09:00-17:00"}}),
            "metrics.business_hours.monday: unknown key (use zone, mon, tue, wed, thu, fri, sat, sun)");
  EXPECT_EQ(ParseError({{"zone", "UTC"}, {"mon", "09:00-17:00"}, {"mon", ""}}), "metrics.business_hours.mon: given twice");
  auto other_prefix = ParseBusinessHours({{"zone", "UTC"}, {"fri", "25:00-26:00"}}, "x.hours");
  ASSERT_FALSE(other_prefix.ok());
  EXPECT_EQ(other_prefix.status().message().substr(0, 12), "x.hours.fri:");
}

TEST(BusinessHoursTest, WithinOneDay) {
  const BusinessHours hours = OfficeWeek();
  // Tuesday 2026-03-03, Budapest is UTC+1: 09:00 local = 08:00 UTC.
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T08:00:00Z"), At("2026-03-03T08:30:00Z")), 30 * kMinute);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T07:00:00Z"), At("2026-03-03T09:00:00Z")), kHour);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T15:30:00Z"), At("2026-03-03T20:00:00Z")), 30 * kMinute);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T17:00:00Z"), At("2026-03-04T07:59:59.999999Z")), 0);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T08:00:00.000001Z"), At("2026-03-03T08:00:00.000003Z")), 2);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T09:00:00Z"), At("2026-03-03T09:00:00Z")), 0);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-03T10:00:00Z"), At("2026-03-03T09:00:00Z")), 0);
}

TEST(BusinessHoursTest, AcrossAWeekend) {
  const BusinessHours hours = OfficeWeek();
  // Friday 16:00 local to Monday 10:00 local: one hour on each side of the weekend.
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-06T15:00:00Z"), At("2026-03-09T09:00:00Z")), 2 * kHour);
  // Saturday to Sunday: nothing.
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-07T00:00:00Z"), At("2026-03-08T22:00:00Z")), 0);
}

TEST(BusinessHoursTest, AcrossTheSpringDaylightSavingChange) {
  // Budapest moves from UTC+1 to UTC+2 at 02:00 local on Sunday 2026-03-29 (the last Sunday of
  // March): opening hours stay 09:00-17:00 local, i.e. 08:00-16:00 UTC before, 07:00-15:00 after.
  const BusinessHours hours = OfficeWeek();
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-27T08:00:00Z"), At("2026-03-27T08:30:00Z")), 30 * kMinute);
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-30T07:00:00Z"), At("2026-03-30T07:30:00Z")), 30 * kMinute);
  // Friday 16:00 local (15:00 UTC) to Monday 10:00 local (now 08:00 UTC): still 2 h.
  EXPECT_EQ(BusinessMicros(hours, At("2026-03-27T15:00:00Z"), At("2026-03-30T08:00:00Z")), 2 * kHour);
  // Open all Sunday: the day of the change has 23 hours.
  const BusinessHours sundays = Parse({{"zone", "Europe/Budapest"}, {"sun", "00:00-24:00"}});
  EXPECT_EQ(BusinessMicros(sundays, At("2026-03-27T00:00:00Z"), At("2026-04-01T00:00:00Z")), 23 * kHour);
  // And 25 in autumn (2026-10-25).
  EXPECT_EQ(BusinessMicros(sundays, At("2026-10-23T00:00:00Z"), At("2026-10-28T00:00:00Z")), 25 * kHour);
  // A range that starts inside the skipped hour (02:00-03:00 local does not exist that day):
  // 02:30 reads as 03:30 summer time (01:30 UTC), 04:00 is 02:00 UTC.
  const BusinessHours night = Parse({{"zone", "Europe/Budapest"}, {"sun", "02:30-04:00"}});
  EXPECT_EQ(BusinessMicros(night, At("2026-03-29T00:00:00Z"), At("2026-03-29T03:00:00Z")), 30 * kMinute);
  EXPECT_EQ(BusinessMicros(night, At("2026-03-29T01:30:00Z"), At("2026-03-29T01:40:00Z")), 10 * kMinute);
}

TEST(BusinessHoursTest, MonthLongSpanIsCountedDayByDay) {
  const BusinessHours hours = OfficeWeek();
  // January 2026 has 22 weekdays (the 1st is a Thursday); UTC midnight is 01:00 local, outside
  // the schedule at both ends.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(BusinessMicros(hours, At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z")), 22 * 8 * kHour);
  // A year: 2026 has 261 weekdays; summer time shifts them in UTC but not their length.
  EXPECT_EQ(BusinessMicros(hours, At("2026-01-01T00:00:00Z"), At("2027-01-01T00:00:00Z")), 261 * 8 * kHour);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(200));  // a few hundred steps, not seconds
}

TEST(BusinessHoursTest, SchedulesOfDifferentZonesDoNotMix) {
  // BusinessMicros keeps a calendar per thread: switching schedules must switch zones.
  const BusinessHours budapest = OfficeWeek();
  const BusinessHours utc = Parse({{"zone", "UTC"}, {"tue", "09:00-17:00"}});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(BusinessMicros(budapest, At("2026-03-03T08:00:00Z"), At("2026-03-03T09:00:00Z")), kHour);
    EXPECT_EQ(BusinessMicros(utc, At("2026-03-03T08:00:00Z"), At("2026-03-03T09:00:00Z")), 0);
    EXPECT_EQ(BusinessMicros(OfficeWeek(), At("2026-03-03T16:00:00Z"), At("2026-03-03T17:00:00Z")), 0);
  }
}

TEST(BusinessHoursTest, NoOpenDayCountsNothing) {
  const BusinessHours closed = Parse({{"zone", "UTC"}});
  EXPECT_EQ(BusinessMicros(closed, At("2026-01-01T00:00:00Z"), At("2027-01-01T00:00:00Z")), 0);
  const BusinessHours utc = Parse({{"zone", "UTC"}, {"thu", "00:00-24:00"}});
  EXPECT_EQ(BusinessMicros(utc, At("2026-01-01T12:00:00Z"), At("2026-01-02T12:00:00Z")), 12 * kHour);
}

}  // namespace
}  // namespace omnihub::unifier::metrics
