// The [metrics] section (services/unifier/metrics/metrics_config.h).
#include "services/unifier/metrics/metrics_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::unifier::metrics {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&MetricsConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(MetricsConfigTest, DefaultsWhenTheSectionIsLeftOut) {
  auto c = Parse("data_dir = \"/srv/hub\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<MetricsConfig>();
  EXPECT_TRUE(m.enabled);
  EXPECT_EQ(m.dir, "/srv/hub/metrics");
  EXPECT_EQ(m.quiet_hours, 24u);
  EXPECT_EQ(m.resolution_days, 7u);
  EXPECT_FALSE(m.business_hours.has_value());
}

TEST(MetricsConfigTest, ReadsEveryKey) {
  auto c = Parse(
      "data_dir = \"/srv/hub\"\n[metrics]\nenabled = false\ndir = \"/var/lib/m\"\nquiet_hours = 48\n"
      "resolution_days = 3\n"
      "business_hours = { zone = \"Europe/Budapest\", mon = \"09:00-17:00\", sun = \"\" }\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<MetricsConfig>();
  EXPECT_FALSE(m.enabled);
  EXPECT_EQ(m.dir, "/var/lib/m");
  EXPECT_EQ(m.quiet_hours, 48u);
  EXPECT_EQ(m.resolution_days, 3u);
  ASSERT_TRUE(m.business_hours.has_value());
  EXPECT_EQ(m.business_hours->zone, "Europe/Budapest");
  EXPECT_EQ(m.business_hours->days[0], "09:00-17:00");
  EXPECT_EQ(m.business_hours->days[1], "");
  EXPECT_EQ(m.business_hours->days[6], "");
}

TEST(MetricsConfigTest, OutOfRangeSettingsNameTheKey) {
  auto c = Parse("[metrics]\nquiet_hours = 0\nresolution_days = 366\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("metrics.quiet_hours (line 2)"));
  EXPECT_THAT(c.status().message(), HasSubstr("metrics.resolution_days (line 3)"));
}

TEST(MetricsConfigTest, BusinessHoursNeedAZoneAndKnownDays) {
  auto no_zone = Parse("[metrics]\nbusiness_hours = { mon = \"09:00-17:00\" }\n");
  ASSERT_FALSE(no_zone.ok());
  EXPECT_THAT(no_zone.status().message(), HasSubstr("metrics.business_hours"));
  EXPECT_THAT(no_zone.status().message(), HasSubstr("zone"));
  auto typo = Parse("[metrics]\nbusiness_hours = { zone = \"UTC\", monday = \"09:00-17:00\" }\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.status().message(), HasSubstr("metrics.business_hours.monday"));
}

TEST(MetricsConfigTest, BusinessHoursRangesAndZoneAreCheckedWhenTheFileIsRead) {
  // --check-config reports what the unifier would refuse at start.
  auto range = Parse("[metrics]\nbusiness_hours = { zone = \"UTC\", mon = \"9-17\" }\n");
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("metrics.business_hours.mon"));
  EXPECT_THAT(range.status().message(), HasSubstr("line 2"));
  auto zone = Parse("[metrics]\nbusiness_hours = { zone = \"Mars/Olympus\", mon = \"09:00-17:00\" }\n");
  ASSERT_FALSE(zone.ok());
  EXPECT_THAT(zone.status().message(), HasSubstr("Mars/Olympus"));
}

TEST(MetricsConfigTest, UnknownKeyIsAnError) {
  auto c = Parse("[metrics]\nquiet_hour = 12\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("metrics.quiet_hour"));
}

}  // namespace
}  // namespace omnihub::unifier::metrics
