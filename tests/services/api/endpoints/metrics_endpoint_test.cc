// GET /api/v1/metrics: the parameters as the hub's MetricsRequest, the report passed through
// byte for byte, 400s naming the parameter and 503 from a hub that keeps no metrics.
#include <gtest/gtest.h>

#include "common/base/time_format.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

class MetricsEndpointTest : public testing::EndpointHarness {
 protected:
  MetricsEndpointTest() { EXPECT_TRUE(AddMetricsRoutes(routes(), services()).ok()); }

  static v1::QueryResponse Report(const std::string& json) {
    v1::QueryResponse r;
    r.mutable_metrics()->set_report_json(json);
    r.mutable_metrics()->set_applied_change_seq(9);
    return r;
  }
};

TEST_F(MetricsEndpointTest, ParametersBecomeTheMetricsRequestAndTheReportPassesThrough) {
  // Spacing and key order a re-encoding would change: the body must be the hub's bytes.
  const std::string report = R"({"by": "channel",  "totals": {"episodes": 3}, "as_of": null})";
  hub.Answer(Report(report));
  auto r = Get("/api/v1/metrics?since=2026-01-01&until=2026-02-01T00:00:00Z&channel=sms&account=shop-eu&by=channel");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, report);
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_EQ(hub.requests.size(), 1u);
  const v1::MetricsRequest& m = hub.requests[0].metrics();
  EXPECT_EQ(m.since_us(), *base::ParseRfc3339Micros("2026-01-01T00:00:00Z"));
  EXPECT_EQ(m.until_us(), *base::ParseRfc3339Micros("2026-02-01T00:00:00Z"));
  EXPECT_EQ(m.channel(), v1::SMS);
  EXPECT_EQ(m.account(), "shop-eu");
  EXPECT_EQ(m.by(), "channel");
}

TEST_F(MetricsEndpointTest, NoParametersAskForEverything) {
  hub.Answer(Report("{}"));
  ASSERT_EQ(Get("/api/v1/metrics").status, 200);
  const v1::MetricsRequest& m = hub.requests[0].metrics();
  EXPECT_FALSE(m.has_since_us());
  EXPECT_FALSE(m.has_until_us());
  EXPECT_EQ(m.channel(), v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(m.account(), "");
  EXPECT_EQ(m.by(), "");
}

TEST_F(MetricsEndpointTest, BadParametersAreRefusedNamingThem) {
  ExpectError(Get("/api/v1/metrics?by=year"), 400, "bad_request", "by");
  EXPECT_NE(Get("/api/v1/metrics?by=year").body.find("'year' is not one of day, week, month, channel, account"),
            std::string::npos);
  ExpectError(Get("/api/v1/metrics?since=2026-02-01&until=2026-01-01"), 400, "bad_request", "until");
  ExpectError(Get("/api/v1/metrics?since=last%20week"), 400, "bad_request", "since");
  ExpectError(Get("/api/v1/metrics?until=soon"), 400, "bad_request", "until");
  ExpectError(Get("/api/v1/metrics?channel=fax"), 400, "bad_request", "channel");
  ExpectError(Get("/api/v1/metrics?channel=sms,email"), 400, "bad_request", "channel");
  ExpectError(Get("/api/v1/metrics?account="), 400, "bad_request", "account");
  ExpectError(Get("/api/v1/metrics?group=day"), 400, "bad_request", "group");
  EXPECT_TRUE(hub.requests.empty());
}

TEST_F(MetricsEndpointTest, AHubWithoutMetricsIs503) {
  hub.Fail(base::Status::Unavailable("this unifier keeps no relationship metrics"));
  ExpectError(Get("/api/v1/metrics"), 503, "unavailable", "");
}

TEST_F(MetricsEndpointTest, NeedsAToken) {
  EXPECT_EQ(Call("GET", "/api/v1/metrics", "").status, 401);
  EXPECT_TRUE(hub.requests.empty());
}

}  // namespace
}  // namespace omnihub::api
