// omnihubctl metrics against a fake hub: the MetricsRequest it builds from the options, the
// report printed exactly as the hub wrote it, and usage errors naming the option before
// anything is asked.
#include <gtest/gtest.h>

#include "common/base/time_format.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

class MetricsCommandTest : public testing::CtlTest {
 protected:
  static v1::QueryResponse Report(const std::string& json) {
    v1::QueryResponse resp;
    resp.mutable_metrics()->set_report_json(json);
    resp.mutable_metrics()->set_applied_change_seq(12);
    return resp;
  }
};

TEST_F(MetricsCommandTest, SendsTheFiltersAndPrintsTheReportAsWritten) {
  const std::string report = R"({"as_of":"2026-06-30T17:04:11.000000Z","by":"channel","groups":[]})";
  hub_.Answer(Report(report));
  ASSERT_EQ(Run(RunMetrics, {"--since", "2026-01-01", "--until", "2026-02-01T00:00:00Z", "--channel", "WhatsApp",
                             "--account", "shop-eu", "--by", "channel"}),
            kExitOk)
      << err();
  ASSERT_EQ(hub_.requests.size(), 1u);
  const v1::MetricsRequest& req = hub_.requests[0].metrics();
  EXPECT_EQ(req.since_us(), *base::ParseRfc3339Micros("2026-01-01T00:00:00Z"));
  EXPECT_EQ(req.until_us(), *base::ParseRfc3339Micros("2026-02-01T00:00:00Z"));
  EXPECT_EQ(req.channel(), v1::WHATSAPP);
  EXPECT_EQ(req.account(), "shop-eu");
  EXPECT_EQ(req.by(), "channel");
  EXPECT_EQ(out(), report + "\n");
  EXPECT_EQ(err(), "");
}

TEST_F(MetricsCommandTest, NoFiltersAskForEverything) {
  hub_.Answer(Report("{}"));
  ASSERT_EQ(Run(RunMetrics, {}), kExitOk) << err();
  const v1::MetricsRequest& req = hub_.requests[0].metrics();
  EXPECT_FALSE(req.has_since_us());
  EXPECT_FALSE(req.has_until_us());
  EXPECT_EQ(req.channel(), v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(req.account(), "");
  EXPECT_EQ(req.by(), "");
}

TEST_F(MetricsCommandTest, BadOptionsAreUsageErrorsNamingTheOption) {
  EXPECT_EQ(Run(RunMetrics, {"--by", "year"}), kExitUsage);
  EXPECT_NE(err().find("omnihubctl: --by: 'year' is not one of day, week, month, channel, account"), std::string::npos)
      << err();
  EXPECT_EQ(Run(RunMetrics, {"--since", "2026-02-01", "--until", "2026-01-01"}), kExitUsage);
  EXPECT_NE(err().find("--until must be after --since"), std::string::npos) << err();
  EXPECT_EQ(Run(RunMetrics, {"--since", "2026-02-01", "--until", "2026-02-01"}), kExitUsage);
  EXPECT_EQ(Run(RunMetrics, {"--channel", "fax"}), kExitUsage);
  EXPECT_NE(err().find("--channel: unknown channel 'fax'"), std::string::npos) << err();
  EXPECT_EQ(Run(RunMetrics, {"--channel", "sms,email"}), kExitUsage);
  EXPECT_NE(err().find("--channel: a report is about one inbound channel"), std::string::npos) << err();
  EXPECT_EQ(Run(RunMetrics, {"--since", "yesterday"}), kExitUsage);
  EXPECT_NE(err().find("--since"), std::string::npos) << err();
  EXPECT_EQ(Run(RunMetrics, {"--account", ""}), kExitUsage);
  EXPECT_EQ(Run(RunMetrics, {"--group", "day"}), kExitUsage);
  EXPECT_EQ(Run(RunMetrics, {"extra"}), kExitUsage);
  EXPECT_TRUE(hub_.requests.empty());
}

TEST_F(MetricsCommandTest, AHubWithoutMetricsIsUnavailable) {
  hub_.Fail(base::Status::Unavailable("this unifier keeps no relationship metrics"));
  EXPECT_EQ(Run(RunMetrics, {}), kExitUnavailable);
  EXPECT_NE(err().find("keeps no relationship metrics"), std::string::npos) << err();
  EXPECT_EQ(out(), "");
}

}  // namespace
}  // namespace omnihub::ctl
