// The relationship metrics' gauges on a real store, over a fake MetricsBackend with fixed
// figures: the exact names of docs/metrics.md "Gauges", figures with nothing to count left out,
// and the lag measured against the store's change log.
#include <gtest/gtest.h>

#include "services/unifier/metrics/relationship_gauges.h"
#include "services/unifier/store/last_change_seq.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

class FixedMetricsBackend final : public MetricsBackend {
 public:
  base::Status Report(const v1::MetricsRequest&, v1::MetricsResponse*, std::string_view) override {
    return base::Status::Ok();
  }
  base::Result<MetricsHeadline> Headline() override { return headline; }
  uint64_t applied_change_seq() const override { return applied; }
  bool WaitApplied(uint64_t change_seq, std::chrono::milliseconds) override { return applied >= change_seq; }

  base::Result<MetricsHeadline> headline = MetricsHeadline{};
  uint64_t applied = 0;
};

class RelationshipGaugesTest : public ::testing::Test {
 protected:
  RelationshipGaugesTest() {
    // Three committed messages: the store's change log is at 3 changes or more.
    for (int i = 0; i < 3; ++i) {
      auto e = hub_.MakeEvent(v1::SMS, "m" + std::to_string(i), testing::Phone("+14155550100"), 1'790'000'000'000'000 + i);
      hub_.Process({testing::UnifierHarness::Frame("pub", static_cast<uint64_t>(i + 1), e)});
    }
    AddRelationshipMetrics(registry_, hub_.store(), backend_);
  }

  std::string Render() { return registry_.Render(); }

  testing::UnifierHarness hub_;
  FixedMetricsBackend backend_;
  service::Registry registry_;
};

TEST_F(RelationshipGaugesTest, HeadlineFiguresAndTheLagAreExportedUnderTheirNames) {
  const uint64_t last = LastChangeSeqOrZero(hub_.store());
  ASSERT_GE(last, 3u);
  backend_.applied = last - 2;
  backend_.headline = MetricsHeadline{.first_response_p50_s = 812.5,
                                      .first_response_p90_s = 14400,
                                      .first_contact_resolution_share = 0.6,
                                      .returning_share = 0.25};
  const std::string out = Render();
  EXPECT_NE(out.find("omnihub_relationship_first_response_seconds{quantile=\"0.5\"} 812.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_first_response_seconds{quantile=\"0.9\"} 14400\n"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_first_contact_resolution_ratio 0.6\n"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_returning_customers_ratio 0.25\n"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_applied_change_seq " + std::to_string(last - 2) + "\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("omnihub_relationship_lag_changes 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("# TYPE omnihub_relationship_lag_changes gauge\n"), std::string::npos) << out;
}

TEST_F(RelationshipGaugesTest, FiguresWithNothingToCountAreLeftOut) {
  backend_.applied = LastChangeSeqOrZero(hub_.store());
  MetricsHeadline only_p50;
  only_p50.first_response_p50_s = 30;
  backend_.headline = only_p50;
  const std::string out = Render();
  EXPECT_NE(out.find("omnihub_relationship_first_response_seconds{quantile=\"0.5\"} 30\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("quantile=\"0.9\""), std::string::npos) << out;
  EXPECT_EQ(out.find("omnihub_relationship_first_contact_resolution_ratio"), std::string::npos) << out;
  EXPECT_EQ(out.find("omnihub_relationship_returning_customers_ratio"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_lag_changes 0\n"), std::string::npos) << out;
}

TEST_F(RelationshipGaugesTest, AFailingHeadlineLeavesTheFiguresOutButNotTheLag) {
  backend_.headline = base::Status::Internal("metrics database unreadable");
  const std::string out = Render();
  EXPECT_EQ(out.find("omnihub_relationship_first_response_seconds"), std::string::npos) << out;
  EXPECT_EQ(out.find("omnihub_relationship_first_contact_resolution_ratio"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_applied_change_seq 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("omnihub_relationship_lag_changes " + std::to_string(LastChangeSeqOrZero(hub_.store())) + "\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace omnihub::unifier
