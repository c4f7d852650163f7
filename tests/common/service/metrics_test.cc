// The metrics registry and its Prometheus text rendering, checked against exact expected text.
#include "common/service/metrics.h"

#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace omnihub::service {
namespace {

TEST(MetricsTest, RendersCounterAndGaugeWithHelpAndType) {
  Registry registry;
  Counter& events = registry.AddCounter("omnihub_events_total", "Events accepted.");
  Gauge& depth = registry.AddGauge("omnihub_depth", "Entries waiting.");
  events.Increment();
  events.Increment(4);
  depth.Set(7);
  depth.Add(-2.5);
  EXPECT_EQ(registry.Render(),
            "# HELP omnihub_depth Entries waiting.\n"
            "# TYPE omnihub_depth gauge\n"
            "omnihub_depth 4.5\n"
            "# HELP omnihub_events_total Events accepted.\n"
            "# TYPE omnihub_events_total counter\n"
            "omnihub_events_total 5\n");
}

TEST(MetricsTest, UnusedMetricsStillShowTheirZeroSeries) {
  Registry registry;
  registry.AddCounter("a_total", "A.");
  registry.AddCounterFamily("b_total", "B.", {"code"});
  EXPECT_EQ(registry.Render(),
            "# HELP a_total A.\n"
            "# TYPE a_total counter\n"
            "a_total 0\n"
            "# HELP b_total B.\n"
            "# TYPE b_total counter\n");
}

TEST(MetricsTest, LabelledSeriesAreSortedByLabelValues) {
  Registry registry;
  CounterFamily& replies = registry.AddCounterFamily("smtp_replies_total", "Replies sent.", {"class", "code"});
  replies.With({"5xx", "550"}).Increment();
  replies.With({"2xx", "250"}).Increment(3);
  replies.With({"4xx", "451"}).Increment(2);
  replies.With({"2xx", "250"}).Increment();
  EXPECT_EQ(registry.Render(),
            "# HELP smtp_replies_total Replies sent.\n"
            "# TYPE smtp_replies_total counter\n"
            "smtp_replies_total{class=\"2xx\",code=\"250\"} 4\n"
            "smtp_replies_total{class=\"4xx\",code=\"451\"} 2\n"
            "smtp_replies_total{class=\"5xx\",code=\"550\"} 1\n");
}

TEST(MetricsTest, WithReturnsTheSameSeriesForTheSameValues) {
  Registry registry;
  CounterFamily& family = registry.AddCounterFamily("x_total", "X.", {"channel"});
  Counter& email = family.With({"email"});
  EXPECT_EQ(&email, &family.With({"email"}));
  EXPECT_NE(&email, &family.With({"sms"}));
}

TEST(MetricsTest, EscapesLabelValuesAndHelpText) {
  Registry registry;
  registry.AddGaugeFamily("g", "Back\\slash and\nnew line; \"quotes\" stay.", {"v"})
      .With({"a\"b\\c\nd"})
      .Set(1);
  EXPECT_EQ(registry.Render(),
            "# HELP g Back\\\\slash and\\nnew line; \"quotes\" stay.\n"
            "# TYPE g gauge\n"
            "g{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  // Binary fractions, so that the sum is exact.
  static constexpr std::array<double, 3> kBounds = {0.125, 0.5, 2};
  Histogram& h = registry.AddHistogram("latency_seconds", "Latency.", kBounds);
  h.Observe(0.0625);
  h.Observe(0.125);  // on a bound: counted in that bucket ("le")
  h.Observe(0.25);
  h.Observe(3);
  EXPECT_EQ(registry.Render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{le=\"0.125\"} 2\n"
            "latency_seconds_bucket{le=\"0.5\"} 3\n"
            "latency_seconds_bucket{le=\"2\"} 3\n"
            "latency_seconds_bucket{le=\"+Inf\"} 4\n"
            "latency_seconds_sum 3.4375\n"
            "latency_seconds_count 4\n");
}

TEST(MetricsTest, LabelledHistogramPutsLeLast) {
  Registry registry;
  static constexpr std::array<double, 2> kBounds = {1, 10};
  HistogramFamily& family = registry.AddHistogramFamily("batch", "Batch sizes.", {"kind"}, kBounds);
  family.With({"events"}).Observe(5, 3);  // three observations of 5
  EXPECT_EQ(registry.Render(),
            "# HELP batch Batch sizes.\n"
            "# TYPE batch histogram\n"
            "batch_bucket{kind=\"events\",le=\"1\"} 0\n"
            "batch_bucket{kind=\"events\",le=\"10\"} 3\n"
            "batch_bucket{kind=\"events\",le=\"+Inf\"} 3\n"
            "batch_sum{kind=\"events\"} 15\n"
            "batch_count{kind=\"events\"} 3\n");
}

TEST(MetricsTest, CallbacksAreEvaluatedAtRenderTime) {
  Registry registry;
  double depth = 3;
  registry.AddGaugeCallback("outbox_depth", "Entries.", [&depth] { return depth; });
  registry.AddCounterCallback("stall_seconds_total", "Stalls.", [] { return 0.25; });
  const std::string before = registry.Render();
  depth = 12;
  EXPECT_EQ(before,
            "# HELP outbox_depth Entries.\n"
            "# TYPE outbox_depth gauge\n"
            "outbox_depth 3\n"
            "# HELP stall_seconds_total Stalls.\n"
            "# TYPE stall_seconds_total counter\n"
            "stall_seconds_total 0.25\n");
  EXPECT_NE(registry.Render().find("outbox_depth 12\n"), std::string::npos);
}

TEST(MetricsTest, LabelledCallbackGaugeCarriesItsFixedLabels) {
  Registry registry;
  registry.AddGaugeCallback("disk_free_bytes", "Free.", {{"path", "/var/lib/\"x\""}}, [] { return 4096.0; });
  EXPECT_EQ(registry.Render(),
            "# HELP disk_free_bytes Free.\n"
            "# TYPE disk_free_bytes gauge\n"
            "disk_free_bytes{path=\"/var/lib/\\\"x\\\"\"} 4096\n");
}

TEST(MetricsTest, SeriesCallbackListsWhatExistsAtRenderTime) {
  Registry registry;
  Registry::GaugeSeries now = {{{"0.5"}, 812.5}, {{"0.9"}, 14400}};
  registry.AddGaugeSeriesCallback("response_seconds", "Response.", {"quantile"}, [&now] { return now; });
  registry.AddGaugeCallback("seq", "Seq.", [] { return 7.0; });
  EXPECT_EQ(registry.Render(),
            "# HELP response_seconds Response.\n"
            "# TYPE response_seconds gauge\n"
            "response_seconds{quantile=\"0.5\"} 812.5\n"
            "response_seconds{quantile=\"0.9\"} 14400\n"
            "# HELP seq Seq.\n"
            "# TYPE seq gauge\n"
            "seq 7\n");
  // Nothing to count: the metric is left out, HELP and TYPE included.
  now.clear();
  EXPECT_EQ(registry.Render(),
            "# HELP seq Seq.\n"
            "# TYPE seq gauge\n"
            "seq 7\n");
}

TEST(MetricsTest, SeriesBeyondTheCapFoldIntoOther) {
  Registry registry;
  CounterFamily& family = registry.AddCounterFamily("codes_total", "Codes.", {"code"});
  for (size_t i = 0; i < CounterFamily::kMaxSeries + 10; ++i) family.With({std::to_string(1000 + i)}).Increment();
  const auto series = family.Collect();
  ASSERT_EQ(series.size(), CounterFamily::kMaxSeries);
  uint64_t other = 0;
  for (const auto& [values, counter] : series) {
    if (values[0] == "other") other = counter->value();
  }
  EXPECT_EQ(other, 11u);  // the 64th value and the ten after it
}

TEST(MetricsTest, FormatsValuesAsPrometheusDoes) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(-3), "-3");
  EXPECT_EQ(FormatMetricValue(1e6), "1000000");
  EXPECT_EQ(FormatMetricValue(0.0005), "0.0005");
  EXPECT_EQ(FormatMetricValue(2.5), "2.5");
  EXPECT_EQ(FormatMetricValue(0.00001), "1e-05");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  CounterFamily& family = registry.AddCounterFamily("c_total", "C.", {"t"});
  Histogram& h = registry.AddHistogram("h", "H.", kLatencyBuckets);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&family, &h, t] {
      for (int i = 0; i < 10000; ++i) {
        family.With({t % 2 == 0 ? "even" : "odd"}).Increment();
        h.Observe(0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.With({"even"}).value(), 20000u);
  EXPECT_EQ(family.With({"odd"}).value(), 20000u);
  EXPECT_EQ(h.Read().cumulative.back(), 40000u);
}

TEST(MetricsDeathTest, RegisteringANameTwiceAborts) {
  Registry registry;
  registry.AddCounter("dup_total", "D.");
  EXPECT_DEATH(registry.AddGauge("dup_total", "D."), "registered twice");
  EXPECT_DEATH(registry.AddCounter("bad-name", "B."), "invalid metric name");
}

}  // namespace
}  // namespace omnihub::service
