#include "common/base/time_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace omnihub::base {
namespace {

using ::testing::HasSubstr;

int64_t Parse(std::string_view text) {
  auto r = base::ParseRfc3339Micros(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : 0;
}

std::string Error(std::string_view text) {
  auto r = base::ParseRfc3339Micros(text);
  EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? *r : 0);
  if (r.ok()) return "";
  EXPECT_TRUE(r.status().IsInvalidArgument());
  return r.status().message();
}

constexpr int64_t kSecond = 1'000'000;
// 2026-11-23T10:00:00Z
constexpr int64_t kRef = 1'795'428'000 * kSecond;

TEST(TimeFormatTest, ParsesUtcWithAnySeparator) {
  EXPECT_EQ(Parse("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Parse("2026-11-23T10:00:00Z"), kRef);
  EXPECT_EQ(Parse("2026-11-23t10:00:00z"), kRef);
  EXPECT_EQ(Parse("2026-11-23 10:00:00Z"), kRef);
}

TEST(TimeFormatTest, AppliesOffsets) {
  EXPECT_EQ(Parse("2026-11-23T11:00:00+01:00"), kRef);
  EXPECT_EQ(Parse("2026-11-23T02:00:00-08:00"), kRef);
  EXPECT_EQ(Parse("2026-11-23T15:30:00+05:30"), kRef);
  EXPECT_EQ(Parse("2026-11-23T10:00:00-00:00"), kRef);
  // An offset can move the instant across a day and year boundary.
  EXPECT_EQ(Parse("2027-01-01T00:30:00+01:00"), Parse("2026-12-31T23:30:00Z"));
}

TEST(TimeFormatTest, TruncatesFractionToMicroseconds) {
  EXPECT_EQ(Parse("2026-11-23T10:00:00.5Z"), kRef + 500'000);
  EXPECT_EQ(Parse("2026-11-23T10:00:00.123456Z"), kRef + 123'456);
  EXPECT_EQ(Parse("2026-11-23T10:00:00.123456789Z"), kRef + 123'456);
  EXPECT_EQ(Parse("2026-11-23T10:00:00.000001Z"), kRef + 1);
  EXPECT_EQ(Parse("2026-11-23T10:00:00.0000009Z"), kRef);
}

TEST(TimeFormatTest, HandlesLeapYears) {
  EXPECT_EQ(Parse("2024-02-29T00:00:00Z") + 86'400 * kSecond, Parse("2024-03-01T00:00:00Z"));
  EXPECT_EQ(Parse("2000-02-29T00:00:00Z") + 86'400 * kSecond, Parse("2000-03-01T00:00:00Z"));
  EXPECT_THAT(Error("2023-02-29T00:00:00Z"), HasSubstr("day does not exist"));
  EXPECT_THAT(Error("1900-02-29T00:00:00Z"), HasSubstr("day does not exist"));
}

TEST(TimeFormatTest, ParsesTimesBefore1970) {
  EXPECT_EQ(Parse("1969-12-31T23:59:59Z"), -kSecond);
  EXPECT_EQ(Parse("1969-12-31T23:59:59.5Z"), -500'000);
  EXPECT_EQ(Parse("0001-01-01T00:00:00Z"), -62'135'596'800 * kSecond);
}

TEST(TimeFormatTest, RejectsInvalidDatesAndTimes) {
  EXPECT_THAT(Error("2026-02-30T10:00:00Z"), HasSubstr("day does not exist"));
  EXPECT_THAT(Error("2026-04-31T10:00:00Z"), HasSubstr("day does not exist"));
  EXPECT_THAT(Error("2026-13-01T10:00:00Z"), HasSubstr("month out of range"));
  EXPECT_THAT(Error("2026-00-01T10:00:00Z"), HasSubstr("month out of range"));
  EXPECT_THAT(Error("2026-11-00T10:00:00Z"), HasSubstr("day does not exist"));
  EXPECT_THAT(Error("2026-11-23T24:00:00Z"), HasSubstr("hour out of range"));
  EXPECT_THAT(Error("2026-11-23T10:60:00Z"), HasSubstr("minute out of range"));
  EXPECT_THAT(Error("2026-11-23T23:59:60Z"), HasSubstr("leap second"));
  EXPECT_THAT(Error("2026-11-23T10:00:61Z"), HasSubstr("second out of range"));
}

TEST(TimeFormatTest, RejectsMalformedText) {
  EXPECT_EQ(Error("2026-11-23T10:00:00"),
            "invalid RFC 3339 timestamp '2026-11-23T10:00:00': missing UTC offset ('Z' or +hh:mm) "
            "(expected e.g. 2026-11-23T10:00:00Z or 2026-11-23T11:00:00.250+01:00)");
  EXPECT_THAT(Error(""), HasSubstr("date must be YYYY-MM-DD"));
  EXPECT_THAT(Error("2026-11-23"), HasSubstr("missing time"));
  EXPECT_THAT(Error("26-11-23T10:00:00Z"), HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(Error("2026/11/23T10:00:00Z"), HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(Error("2026-11-23X10:00:00Z"), HasSubstr("separated by 'T'"));
  EXPECT_THAT(Error("2026-11-23T10:00Z"), HasSubstr("hh:mm:ss"));
  EXPECT_THAT(Error("2026-11-23T10:00:00.Z"), HasSubstr("empty fraction"));
  EXPECT_THAT(Error("2026-11-23T10:00:00.1234567890Z"), HasSubstr("longer than 9 digits"));
  EXPECT_THAT(Error("2026-11-23T10:00:00+0100"), HasSubstr("+hh:mm"));
  EXPECT_THAT(Error("2026-11-23T10:00:00+24:00"), HasSubstr("offset out of range"));
  EXPECT_THAT(Error("2026-11-23T10:00:00ZZ"), HasSubstr("unexpected text"));
  EXPECT_THAT(Error("2026-11-23T10:00:00 UTC"), HasSubstr("missing UTC offset"));
  EXPECT_THAT(Error(" 2026-11-23T10:00:00Z"), HasSubstr("' 2026-11-23T10:00:00Z'"));
}

TEST(TimeFormatTest, FormatsUtcWithSixFractionDigits) {
  EXPECT_EQ(base::FormatRfc3339Micros(kRef), "2026-11-23T10:00:00.000000Z");
  EXPECT_EQ(base::FormatRfc3339Micros(kRef + 123'456), "2026-11-23T10:00:00.123456Z");
  EXPECT_EQ(base::FormatRfc3339Micros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(base::FormatRfc3339Micros(Parse("2024-02-29T23:59:59.999999Z")), "2024-02-29T23:59:59.999999Z");
}

TEST(TimeFormatTest, FormatsTimesBefore1970) {
  EXPECT_EQ(base::FormatRfc3339Micros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(base::FormatRfc3339Micros(-kSecond), "1969-12-31T23:59:59.000000Z");
  EXPECT_EQ(base::FormatRfc3339Micros(-86'400 * kSecond), "1969-12-31T00:00:00.000000Z");
  EXPECT_EQ(base::FormatRfc3339Micros(-62'135'596'800 * kSecond), "0001-01-01T00:00:00.000000Z");
}

TEST(TimeFormatTest, FormatsYearsOutsideFourDigits) {
  EXPECT_EQ(base::FormatRfc3339Micros(-62'167'219'200 * kSecond), "0000-01-01T00:00:00.000000Z");
  EXPECT_EQ(base::FormatRfc3339Micros(-62'167'219'200 * kSecond - 1), "-001-12-31T23:59:59.999999Z");
  EXPECT_EQ(base::FormatRfc3339Micros(253'402'300'800 * kSecond), "10000-01-01T00:00:00.000000Z");
}

TEST(TimeFormatTest, FormatParsesBackForManyInstants) {
  // A spread of instants, positive and negative, across leap years and month ends.
  for (int64_t us = -5'000'000'000'000'000; us < 5'000'000'000'000'000; us += 37'777'777'777'777) {
    const std::string text = base::FormatRfc3339Micros(us);
    auto back = base::ParseRfc3339Micros(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(*back, us) << text;
  }
}

TEST(TimeFormatTest, DoesNotDependOnTzVariable) {
  const char* old = std::getenv("TZ");
  const std::string saved = old != nullptr ? old : "";
  setenv("TZ", "America/Los_Angeles", 1);
  tzset();
  const std::string text = base::FormatRfc3339Micros(kRef);
  const int64_t parsed = Parse("2026-11-23T10:00:00Z");
  if (old != nullptr) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  EXPECT_EQ(text, "2026-11-23T10:00:00.000000Z");
  EXPECT_EQ(parsed, kRef);
}

}  // namespace
}  // namespace omnihub::base
