// The report and headline over hand-checked timelines (docs/metrics.md "The report (JSON)",
// "Customer figures", "Worked example"), and a tenant's report over its customers only.
#include "services/unifier/metrics/report.h"

#include <map>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/unifier/metrics/tenant_episodes.h"
#include "tests/services/unifier/metrics/timeline.h"

namespace omnihub::unifier::metrics {
namespace {

using namespace testing;
using nlohmann::json;

json Report(VectorSource& source, v1::MetricsRequest request = {}, const EpisodeSettings& settings = {}) {
  v1::MetricsResponse response;
  const base::Status status = BuildReport(source, request, settings, &response);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(response.applied_change_seq(), 42u);
  return json::parse(response.report_json());
}

std::vector<std::string> Keys(const json& groups) {
  std::vector<std::string> keys;
  for (const auto& g : groups) keys.push_back(g["key"]);
  return keys;
}

// docs/metrics.md "Worked example": the same timeline, the same figures.
void AddWorkedExample(VectorSource& source) {
  source.Add("anna", {In("2026-03-02T09:00:00Z", v1::EMAIL, "support@shop.example"),
                      Out("2026-03-02T11:00:00Z", v1::EMAIL, "support@shop.example"),
                      In("2026-03-04T08:00:00Z", v1::WHATSAPP, "wa-shop"),
                      Out("2026-03-04T08:30:00Z", v1::WHATSAPP, "wa-shop"),
                      In("2026-03-23T10:00:00Z", v1::SMS, "sms-shop"),
                      Out("2026-03-23T10:05:00Z", v1::SMS, "sms-shop")});
  source.Add("balint", {In("2026-02-24T12:00:00Z", v1::WHATSAPP, "wa-shop", /*referral=*/true),
                        In("2026-02-24T12:20:00Z", v1::WHATSAPP, "wa-shop"),
                        Out("2026-02-24T16:00:00Z", v1::EMAIL, "support@shop.example"),
                        Out("2026-03-10T09:00:00Z", v1::WHATSAPP, "wa-shop"),
                        In("2026-04-20T09:00:00Z", v1::EMAIL, "support@shop.example"),
                        In("2026-04-21T09:00:00Z", v1::EMAIL, "support@shop.example"),
                        Out("2026-04-21T15:00:00Z", v1::EMAIL, "support@shop.example")});
}

TEST(ReportTest, WorkedExample) {
  VectorSource source;
  AddWorkedExample(source);
  v1::MetricsRequest request;
  request.set_by("month");
  const json report = Report(source, request);
  const json expected = json::parse(R"({
    "as_of": "2026-04-21T15:00:00.000000Z", "since": null, "until": null, "channel": null, "account": null,
    "by": "month",
    "settings": {"quiet_hours": 24, "resolution_days": 7, "business_hours": null},
    "applied_change_seq": 42,
    "totals": {
      "episodes": 5, "closed": 3, "open": 1, "unanswered": 1,
      "first_response": {"count": 4, "p50_s": 7200, "p90_s": 21600, "p99_s": 21600,
        "by_inbound_channel": {
          "email": {"count": 2, "p50_s": 7200, "p90_s": 21600, "p99_s": 21600},
          "sms": {"count": 1, "p50_s": 300, "p90_s": 300, "p99_s": 300},
          "whatsapp": {"count": 1, "p50_s": 14400, "p90_s": 14400, "p99_s": 14400}},
        "by_reply_channel": {
          "email": {"count": 3, "p50_s": 14400, "p90_s": 21600, "p99_s": 21600},
          "sms": {"count": 1, "p50_s": 300, "p90_s": 300, "p99_s": 300}}},
      "first_contact_resolution": {"resolved": 2, "closed": 3, "share": 0.6666666666666666},
      "resolution_time": {"count": 3, "p50_s": 14400, "p90_s": 171000, "p99_s": 171000},
      "replies_per_episode": 1.3333333333333333,
      "channel_switches": {"total": 1, "episodes_with_switch": 1},
      "consistency": {"first_response_p50_spread_s": 14100, "fastest_channel": "sms", "slowest_channel": "whatsapp"}
    },
    "groups": [
      {"key": "2026-02", "episodes": 1, "closed": 1, "open": 0, "unanswered": 0,
       "first_response": {"count": 1, "p50_s": 14400, "p90_s": 14400, "p99_s": 14400,
         "by_inbound_channel": {"whatsapp": {"count": 1, "p50_s": 14400, "p90_s": 14400, "p99_s": 14400}},
         "by_reply_channel": {"email": {"count": 1, "p50_s": 14400, "p90_s": 14400, "p99_s": 14400}}},
       "first_contact_resolution": {"resolved": 1, "closed": 1, "share": 1},
       "resolution_time": {"count": 1, "p50_s": 14400, "p90_s": 14400, "p99_s": 14400},
       "replies_per_episode": 1,
       "channel_switches": {"total": 0, "episodes_with_switch": 0},
       "consistency": {"first_response_p50_spread_s": null, "fastest_channel": null, "slowest_channel": null}},
      {"key": "2026-03", "episodes": 2, "closed": 2, "open": 0, "unanswered": 0,
       "first_response": {"count": 2, "p50_s": 300, "p90_s": 7200, "p99_s": 7200,
         "by_inbound_channel": {"email": {"count": 1, "p50_s": 7200, "p90_s": 7200, "p99_s": 7200},
                                "sms": {"count": 1, "p50_s": 300, "p90_s": 300, "p99_s": 300}},
         "by_reply_channel": {"email": {"count": 1, "p50_s": 7200, "p90_s": 7200, "p99_s": 7200},
                              "sms": {"count": 1, "p50_s": 300, "p90_s": 300, "p99_s": 300}}},
       "first_contact_resolution": {"resolved": 1, "closed": 2, "share": 0.5},
       "resolution_time": {"count": 2, "p50_s": 300, "p90_s": 171000, "p99_s": 171000},
       "replies_per_episode": 1.5,
       "channel_switches": {"total": 1, "episodes_with_switch": 1},
       "consistency": {"first_response_p50_spread_s": 6900, "fastest_channel": "sms", "slowest_channel": "email"}},
      {"key": "2026-04", "episodes": 2, "closed": 0, "open": 1, "unanswered": 1,
       "first_response": {"count": 1, "p50_s": 21600, "p90_s": 21600, "p99_s": 21600,
         "by_inbound_channel": {"email": {"count": 1, "p50_s": 21600, "p90_s": 21600, "p99_s": 21600}},
         "by_reply_channel": {"email": {"count": 1, "p50_s": 21600, "p90_s": 21600, "p99_s": 21600}}},
       "first_contact_resolution": {"resolved": 0, "closed": 0, "share": null},
       "resolution_time": {"count": 0, "p50_s": null, "p90_s": null, "p99_s": null},
       "replies_per_episode": null,
       "channel_switches": {"total": 0, "episodes_with_switch": 0},
       "consistency": {"first_response_p50_spread_s": null, "fastest_channel": null, "slowest_channel": null}}
    ],
    "customers": {
      "customers": 2, "returning": 2, "returning_share": 1, "referred": 1, "referral_share": 0.5,
      "return_on_relationship": {"since": "2025-04-21T15:00:00.000000Z", "customers": 2,
                                 "returning_or_referred": 2, "share": 1}
    },
    "cohorts": [
      {"month": "2026-02", "customers": 1, "retained": [1, 0, 1], "retention": [1, 0, 1], "churn": [0, 0, 0]},
      {"month": "2026-03", "customers": 1, "retained": [1, 0], "retention": [1, 0], "churn": [0, 1]}
    ]
  })");
  EXPECT_EQ(report, expected) << report.dump(2);
  // nlohmann::json sorts members when it parses; the report's text keeps the documented order.
  v1::MetricsResponse response;
  ASSERT_TRUE(BuildReport(source, request, {}, &response).ok());
  EXPECT_EQ(response.report_json().rfind("{\"as_of\":\"2026-04-21T15:00:00.000000Z\",\"since\":null,\"until\":null,"
                                         "\"channel\":null,\"account\":null,\"by\":\"month\",\"settings\":",
                                         0),
            0u)
      << response.report_json();
  EXPECT_NE(response.report_json().find("\"groups\":[{\"key\":\"2026-02\",\"episodes\":1,"), std::string::npos);
}

TEST(ReportTest, WorkedExampleFilteredByChannel) {
  VectorSource source;
  AddWorkedExample(source);
  v1::MetricsRequest request;
  request.set_channel(v1::EMAIL);
  request.set_by("account");
  const json report = Report(source, request);
  EXPECT_EQ(report["channel"], "email");
  // Anna's email episode and Balint's two of April.
  EXPECT_EQ(report["totals"]["episodes"], 3);
  EXPECT_EQ(report["totals"]["closed"], 1);
  EXPECT_EQ(report["totals"]["unanswered"], 1);
  EXPECT_EQ(report["totals"]["first_contact_resolution"]["resolved"], 0);
  EXPECT_EQ(Keys(report["groups"]), std::vector<std::string>{"support@shop.example"});
  // Both customers have an email episode; Balint's first episode (WhatsApp) is not email, so
  // only Anna is in a cohort.
  EXPECT_EQ(report["customers"]["customers"], 2);
  ASSERT_EQ(report["cohorts"].size(), 1u);
  EXPECT_EQ(report["cohorts"][0]["month"], "2026-03");
  EXPECT_EQ(report["cohorts"][0]["retained"], json::parse("[1, 0]"));
}

// c1 returns twice, c2 and c3 come through referrals, c4 wrote long ago and again, c5 once.
void AddCustomers(VectorSource& source) {
  source.Add("c1", {In("2026-01-10T09:00:00Z", v1::EMAIL, "A"), Out("2026-01-10T10:00:00Z", v1::EMAIL, "A"),
                    In("2026-02-15T09:00:00Z", v1::EMAIL, "A"), Out("2026-02-15T10:00:00Z", v1::EMAIL, "A"),
                    In("2026-04-05T09:00:00Z", v1::SMS, "B"), Out("2026-04-05T10:00:00Z", v1::SMS, "B")});
  source.Add("c2", {In("2026-01-20T09:00:00Z", v1::SMS, "B", true), Out("2026-01-20T10:00:00Z", v1::SMS, "B")});
  source.Add("c3", {In("2026-02-03T09:00:00Z", v1::EMAIL, "A", true), Out("2026-02-03T10:00:00Z", v1::EMAIL, "A")});
  source.Add("c4", {In("2025-03-01T09:00:00Z", v1::WHATSAPP, "C"), Out("2025-03-01T10:00:00Z", v1::WHATSAPP, "C"),
                    In("2026-04-10T09:00:00Z", v1::EMAIL, "A"), Out("2026-04-10T10:00:00Z", v1::EMAIL, "A")});
  source.Add("c5", {In("2026-01-25T09:00:00Z", v1::SMS, "B"), Out("2026-01-25T10:00:00Z", v1::SMS, "B")});
}

TEST(ReportTest, CustomerFiguresAndCohortsWithoutFilters) {
  VectorSource source;
  AddCustomers(source);
  const json report = Report(source);
  EXPECT_EQ(report["customers"], json::parse(R"({"customers": 5, "returning": 2, "returning_share": 0.4,
      "referred": 2, "referral_share": 0.4,
      "return_on_relationship": {"since": "2025-04-10T10:00:00.000000Z", "customers": 5,
                                 "returning_or_referred": 4, "share": 0.8}})"));
  // c4's cohort runs from 2025-03 to the month of as_of (2026-04): 14 months, active in the
  // first and the last.
  ASSERT_EQ(report["cohorts"].size(), 3u);
  EXPECT_EQ(report["cohorts"][0]["month"], "2025-03");
  EXPECT_EQ(report["cohorts"][0]["retained"], json::parse("[1,0,0,0,0,0,0,0,0,0,0,0,0,1]"));
  EXPECT_EQ(report["cohorts"][0]["churn"], json::parse("[0,0,0,0,0,0,0,0,0,0,0,0,0,0]"));
  // 2026-01: c1 (Jan, Feb, Apr), c2 and c5 (January only).
  EXPECT_EQ(report["cohorts"][1], json::parse(R"({"month": "2026-01", "customers": 3, "retained": [3, 1, 0, 1],
      "retention": [1, 0.3333333333333333, 0, 0.3333333333333333],
      "churn": [0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666]})"));
  EXPECT_EQ(report["cohorts"][2], json::parse(R"({"month": "2026-02", "customers": 1, "retained": [1, 0, 0],
      "retention": [1, 0, 0], "churn": [0, 1, 1]})"));
}

TEST(ReportTest, CustomerFiguresAndCohortsWithFilters) {
  VectorSource source;
  AddCustomers(source);
  {
    // Email only: c1, c3, c4 have an email episode; whether returning or referred is judged
    // on their whole history. Cohorts: c1 (first episode January, by email) and c3; c4's
    // first episode was on WhatsApp. c1's April episode was an SMS: not retained by email.
    v1::MetricsRequest request;
    request.set_channel(v1::EMAIL);
    const json report = Report(source, request);
    EXPECT_EQ(report["customers"]["customers"], 3);
    EXPECT_EQ(report["customers"]["returning"], 2);
    EXPECT_EQ(report["customers"]["referred"], 1);
    EXPECT_EQ(report["customers"]["return_on_relationship"]["customers"], 3);
    EXPECT_EQ(report["customers"]["return_on_relationship"]["returning_or_referred"], 3);
    ASSERT_EQ(report["cohorts"].size(), 2u);
    EXPECT_EQ(report["cohorts"][0]["month"], "2026-01");
    EXPECT_EQ(report["cohorts"][0]["retained"], json::parse("[1, 1, 0, 0]"));
    EXPECT_EQ(report["cohorts"][0]["churn"], json::parse("[0, 0, 1, 1]"));
    EXPECT_EQ(report["cohorts"][1]["month"], "2026-02");
  }
  {
    // Until February: the report ends there, and so does return on relationship's window
    // (2025-02-01 to 2026-02-01: c1, c2, c4, c5; c5 neither returns nor was referred).
    v1::MetricsRequest request;
    request.set_until_us(At("2026-02-01T00:00:00Z"));
    const json report = Report(source, request);
    EXPECT_EQ(report["until"], "2026-02-01T00:00:00.000000Z");
    EXPECT_EQ(report["customers"]["customers"], 4);
    EXPECT_EQ(report["customers"]["returning"], 2);
    EXPECT_EQ(report["customers"]["referred"], 1);
    EXPECT_EQ(report["customers"]["return_on_relationship"],
              json::parse(R"({"since": "2025-02-01T00:00:00.000000Z", "customers": 4, "returning_or_referred": 3,
                              "share": 0.75})"));
    std::vector<std::string> months;
    for (const auto& c : report["cohorts"]) months.push_back(c["month"]);
    EXPECT_EQ(months, (std::vector<std::string>{"2025-03", "2026-01"}));
  }
  {
    // Since February, by email: since narrows the customers and cohorts but not return on
    // relationship's window.
    v1::MetricsRequest request;
    request.set_since_us(At("2026-02-01T00:00:00Z"));
    request.set_channel(v1::EMAIL);
    request.set_account("A");
    const json report = Report(source, request);
    EXPECT_EQ(report["customers"]["customers"], 3);  // c1 (February), c3, c4 (April)
    EXPECT_EQ(report["customers"]["return_on_relationship"]["customers"], 3);
    ASSERT_EQ(report["cohorts"].size(), 1u);
    EXPECT_EQ(report["cohorts"][0]["month"], "2026-02");
    EXPECT_EQ(report["totals"]["episodes"], 3);
  }
  {
    // An account nobody used: nothing to count, and every share is null.
    v1::MetricsRequest request;
    request.set_account("nobody");
    const json report = Report(source, request);
    EXPECT_EQ(report["totals"]["episodes"], 0);
    EXPECT_TRUE(report["totals"]["first_response"]["p50_s"].is_null());
    EXPECT_TRUE(report["customers"]["returning_share"].is_null());
    EXPECT_TRUE(report["customers"]["referral_share"].is_null());
    EXPECT_TRUE(report["customers"]["return_on_relationship"]["share"].is_null());
    EXPECT_EQ(report["cohorts"], json::array());
  }
}

TEST(ReportTest, ReturnOnRelationshipWindowIsTheTwelveMonthsBeforeAsOf) {
  VectorSource source;
  // Opened exactly twelve months before as_of (counted) and one microsecond earlier (not).
  source.Add("edge", {In("2025-06-30T17:04:11Z", v1::SMS)});
  source.Add("before", {In("2025-06-30T17:04:10.999999Z", v1::SMS)});
  source.Add("last", {In("2026-06-30T17:04:11Z", v1::SMS)});
  const json report = Report(source);
  EXPECT_EQ(report["customers"]["return_on_relationship"]["since"], "2025-06-30T17:04:11.000000Z");
  EXPECT_EQ(report["customers"]["return_on_relationship"]["customers"], 2);
  EXPECT_EQ(report["customers"]["return_on_relationship"]["returning_or_referred"], 0);
  EXPECT_EQ(report["customers"]["return_on_relationship"]["share"], 0);
  // From 29 February, a year back is 28 February.
  VectorSource leap;
  leap.Add("x", {In("2028-02-29T12:00:00Z", v1::SMS)});
  EXPECT_EQ(Report(leap)["customers"]["return_on_relationship"]["since"], "2027-02-28T12:00:00.000000Z");
}

TEST(ReportTest, GroupsByIsoWeekAcrossAYearBoundary) {
  VectorSource source;
  source.Add("a", {In("2025-12-29T09:00:00Z", v1::SMS)});    // Monday: week 1 of 2026
  source.Add("b", {In("2026-12-28T09:00:00Z", v1::EMAIL)});  // Monday of 2026's 53rd week
  source.Add("c", {In("2027-01-03T23:59:59Z", v1::EMAIL)});  // Sunday: still 2026-W53
  source.Add("d", {In("2027-01-04T00:00:00Z", v1::X)});      // Monday: 2027-W01
  v1::MetricsRequest request;
  request.set_by("week");
  json report = Report(source, request);
  EXPECT_EQ(Keys(report["groups"]), (std::vector<std::string>{"2026-W01", "2026-W53", "2027-W01"}));
  EXPECT_EQ(report["groups"][1]["episodes"], 2);
  request.set_by("day");
  EXPECT_EQ(Keys(Report(source, request)["groups"]),
            (std::vector<std::string>{"2025-12-29", "2026-12-28", "2027-01-03", "2027-01-04"}));
  request.set_by("month");
  EXPECT_EQ(Keys(Report(source, request)["groups"]), (std::vector<std::string>{"2025-12", "2026-12", "2027-01"}));
  request.set_by("channel");
  EXPECT_EQ(Keys(Report(source, request)["groups"]), (std::vector<std::string>{"email", "sms", "x"}));
  request.set_by("account");
  EXPECT_EQ(Keys(Report(source, request)["groups"]), (std::vector<std::string>{"acct"}));
  request.set_by("");
  report = Report(source, request);
  EXPECT_TRUE(report["by"].is_null());
  EXPECT_EQ(report["groups"], json::array());
}

TEST(ReportTest, SinceIsInclusiveAndUntilExclusiveOnTheOpeningTime) {
  VectorSource source;
  source.Add("a", {In("2026-03-01T00:00:00Z", v1::SMS)});
  source.Add("b", {In("2026-03-31T23:59:59.999999Z", v1::SMS)});
  source.Add("c", {In("2026-04-01T00:00:00Z", v1::SMS)});
  v1::MetricsRequest request;
  request.set_since_us(At("2026-03-01T00:00:00Z"));
  request.set_until_us(At("2026-04-01T00:00:00Z"));
  const json report = Report(source, request);
  EXPECT_EQ(report["since"], "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(report["totals"]["episodes"], 2);
  EXPECT_EQ(report["totals"]["open"], 2);
}

TEST(ReportTest, PercentilesAreNearestRankOnExactMicroseconds) {
  VectorSource source;
  // First responses of 1 ... 10 minutes and one of 1.5 seconds (plus a microsecond), in a
  // shuffled order.
  const int minutes[] = {7, 3, 10, 1, 9, 2, 8, 5, 4, 6};
  int n = 0;
  for (int m : minutes) {
    auto in = In("2026-03-02T09:00:00Z", v1::SMS);
    auto out = In("2026-03-02T09:00:00Z", v1::SMS);
    out.inbound = false;
    out.occurred_at_us = in.occurred_at_us + m * kMinute;
    source.Add("c" + std::to_string(n++), {in, out});
  }
  auto in = In("2026-03-02T09:00:00Z", v1::EMAIL);
  auto out = Out("2026-03-02T09:00:01.500001Z", v1::EMAIL);
  source.Add("fast", {in, out});
  const json fr = Report(source)["totals"]["first_response"];
  // 11 values: p50 = v6 (5 min), p90 = v10 (9 min), p99 = v11 (10 min).
  EXPECT_EQ(fr["count"], 11);
  EXPECT_EQ(fr["p50_s"], 300);
  EXPECT_EQ(fr["p90_s"], 540);
  EXPECT_EQ(fr["p99_s"], 600);
  EXPECT_EQ(fr["by_inbound_channel"]["email"]["p50_s"].get<double>(), 1.500001);
  EXPECT_EQ(fr["by_inbound_channel"]["sms"]["p50_s"], 300);  // 10 values: v5
  // Consistency: email 1.500001 s, sms 300 s.
  const json consistency = Report(source)["totals"]["consistency"];
  EXPECT_DOUBLE_EQ(consistency["first_response_p50_spread_s"].get<double>(), 298.499999);
  EXPECT_EQ(consistency["fastest_channel"], "email");
  EXPECT_EQ(consistency["slowest_channel"], "sms");
}

TEST(ReportTest, BusinessHoursSettingsAreShown) {
  EpisodeSettings settings;
  settings.quiet_us = 12 * kHour;
  settings.resolution_us = 3 * kDay;
  auto hours = ParseBusinessHours({{"zone", "Europe/Budapest"}, {"mon", "09:00-17:00"}});
  ASSERT_TRUE(hours.ok());
  settings.business_hours = *hours;
  VectorSource source(settings);
  // Friday 16:00 local, answered Monday 10:00 local: 1 h of Monday's business hours.
  source.Add("a", {In("2026-03-06T15:00:00Z", v1::EMAIL), Out("2026-03-09T09:00:00Z", v1::EMAIL)});
  const json report = Report(source, {}, settings);
  EXPECT_EQ(report["settings"], json::parse(R"({"quiet_hours": 12, "resolution_days": 3, "business_hours":
      {"zone": "Europe/Budapest", "mon": "09:00-17:00", "tue": "", "wed": "", "thu": "", "fri": "", "sat": "",
       "sun": ""}})"));
  EXPECT_EQ(report["totals"]["first_response"]["p50_s"], 3600);
}

TEST(ReportTest, BadRequestsNameTheField) {
  VectorSource source;
  AddWorkedExample(source);
  v1::MetricsResponse response;
  v1::MetricsRequest request;
  request.set_by("year");
  base::Status status = BuildReport(source, request, {}, &response);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_EQ(status.message(), "by: 'year' is not one of day, week, month, channel, account");

  request.Clear();
  request.set_since_us(At("2026-03-01T00:00:00Z"));
  request.set_until_us(At("2026-03-01T00:00:00Z"));
  status = BuildReport(source, request, {}, &response);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_EQ(status.message(), "until: 2026-03-01T00:00:00.000000Z is not after since 2026-03-01T00:00:00.000000Z");

  request.Clear();
  request.set_channel(v1::NOTE);
  status = BuildReport(source, request, {}, &response);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_EQ(status.message(), "channel: 9 is not a channel messages are counted on");
}

TEST(ReportTest, EmptyStore) {
  VectorSource source;
  const json report = Report(source);
  EXPECT_TRUE(report["as_of"].is_null());
  EXPECT_EQ(report["totals"]["episodes"], 0);
  EXPECT_TRUE(report["totals"]["first_contact_resolution"]["share"].is_null());
  EXPECT_TRUE(report["totals"]["replies_per_episode"].is_null());
  EXPECT_TRUE(report["customers"]["return_on_relationship"]["since"].is_null());
  EXPECT_EQ(report["cohorts"], json::array());
  auto headline = BuildHeadline(source, {});
  ASSERT_TRUE(headline.ok());
  EXPECT_FALSE(headline->first_response_p50_s.has_value());
  EXPECT_FALSE(headline->first_response_p90_s.has_value());
  EXPECT_FALSE(headline->first_contact_resolution_share.has_value());
  EXPECT_FALSE(headline->returning_share.has_value());
}

TEST(ReportTest, HeadlineCoversTheThirtyDaysBeforeAsOf) {
  VectorSource source;
  AddWorkedExample(source);
  // as_of 2026-04-21T15:00: the window opens 2026-03-22T15:00, so it holds Anna's SMS episode
  // (closed, resolved, 300 s) and Balint's two of April (21600 s); Anna and Balint both return.
  auto headline = BuildHeadline(source, {});
  ASSERT_TRUE(headline.ok());
  EXPECT_EQ(headline->first_response_p50_s, 300.0);
  EXPECT_EQ(headline->first_response_p90_s, 21600.0);
  EXPECT_EQ(headline->first_contact_resolution_share, 1.0);
  EXPECT_EQ(headline->returning_share, 1.0);
}

// A store with several tenants: a tenant's report reads the episodes through TenantEpisodes,
// which keeps that tenant's customers only, asking about each customer once.
TEST(ReportTest, ATenantsReportCountsItsCustomersOnly) {
  VectorSource source;
  AddWorkedExample(source);  // anna and balint: acme's
  source.Add("chen", {In("2026-03-05T09:00:00Z", v1::SMS, "sms-globex"),
                      Out("2026-03-05T09:01:00Z", v1::SMS, "sms-globex")});
  std::map<std::string, int> asked;
  TenantEpisodes acme(source, [&](const std::string& customer_id) -> base::Result<bool> {
    ++asked[customer_id];
    return customer_id != "chen";
  });
  v1::MetricsResponse response;
  ASSERT_TRUE(BuildReport(acme, {}, {}, &response).ok());
  VectorSource acme_only;
  AddWorkedExample(acme_only);
  EXPECT_EQ(json::parse(response.report_json()), Report(acme_only));
  EXPECT_EQ(asked, (std::map<std::string, int>{{"anna", 1}, {"balint", 1}, {"chen", 1}}));

  TenantEpisodes failing(source, [](const std::string&) -> base::Result<bool> {
    return base::Status::IoError("customers: disk on fire");
  });
  const base::Status status = BuildReport(failing, {}, {}, &response);
  EXPECT_EQ(status.code(), base::StatusCode::kIoError) << status.ToString();
}

}  // namespace
}  // namespace omnihub::unifier::metrics
