// Explain and the merge preview over a real store the graph commands changed.
#include "services/unifier/graph/graph_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/unifier/graph/graph_test_util.h"

namespace omnihub::unifier {
namespace {

using ::testing::ElementsAre;
using testing::Email;
using testing::GraphHarness;
using testing::Phone;

class GraphQueriesTest : public ::testing::Test {
 protected:
  v1::QueryResponse Ask(const v1::QueryRequest& request) {
    QueryService q(g_.harness().store(), g_.harness().normalizer(), {});
    return q.Handle(request);
  }
  v1::QueryResponse Explain(const v1::CustomerSelector& selector) {
    v1::QueryRequest req;
    *req.mutable_explain()->mutable_customer() = selector;
    return Ask(req);
  }
  v1::QueryResponse Preview(const v1::CustomerSelector& survivor, const v1::CustomerSelector& other) {
    v1::QueryRequest req;
    *req.mutable_merge_preview()->mutable_survivor() = survivor;
    *req.mutable_merge_preview()->mutable_other() = other;
    return Ask(req);
  }

  GraphHarness g_;
  const v1::Identity a_phone_ = Phone("+14155550100");
  const v1::Identity b_phone_ = Phone("+14155550111");
  const v1::Identity b_mail_ = Email("bo@example.com");
  const v1::Identity c_phone_ = Phone("+14155550122");
};

TEST_F(GraphQueriesTest, ExplainGivesEachIdentitysReasonHistoryAndTheMerges) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  g_.Event(v1::SMS, b_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
  g_.Event(v1::SMS, c_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const std::string c = g_.CustomerId(c_phone_);
  const std::string merge_1 = g_.Merge(a, b).merge_id();
  const std::string merge_2 = g_.Merge(c, a).merge_id();

  // By the id of a customer merged away: the one it lives in now.
  const v1::QueryResponse r = Explain(GraphHarness::ById(b));
  ASSERT_FALSE(r.has_error()) << r.error().message();
  const v1::ExplainResponse& e = r.explain();
  EXPECT_EQ(e.customer().customer_id(), c);
  EXPECT_EQ(e.customer().event_count(), 4u);
  ASSERT_EQ(e.identities_size(), 4);
  EXPECT_EQ(e.identities(0).identity().value(), "+14155550122");
  EXPECT_EQ(e.identities(0).reason().rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(e.identities(0).event_count(), 1u);
  const v1::IdentityExplanation& phone_b = e.identities(2);
  EXPECT_EQ(phone_b.identity().value(), "+14155550111");
  EXPECT_EQ(phone_b.event_count(), 2u);
  EXPECT_EQ(phone_b.reason().rule(), v1::LinkReason::MERGE);
  EXPECT_EQ(phone_b.reason().merge_id(), merge_2);
  EXPECT_EQ(phone_b.reason().merged_from(), a);
  ASSERT_EQ(phone_b.history_size(), 2);
  EXPECT_EQ(phone_b.history(0).rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(phone_b.history(1).merge_id(), merge_1);
  const v1::IdentityExplanation& mail_b = e.identities(3);
  EXPECT_EQ(mail_b.history(0).rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(mail_b.history(0).anchor_identity_id(), phone_b.identity_id());
  EXPECT_EQ(mail_b.event_count(), 0u);

  ASSERT_EQ(e.history_size(), 1);
  EXPECT_EQ(e.history(0).kind(), v1::GraphHistoryEntry::MERGED_IN);
  EXPECT_EQ(e.history(0).other_customer_id(), a);
  ASSERT_EQ(e.merges_size(), 2);
  EXPECT_EQ(e.merges(0).merge_id(), merge_2);
  EXPECT_EQ(e.merges(1).merge_id(), merge_1);
  EXPECT_THAT(e.merged_customer_ids(), ElementsAre(a, b));

  // After a split the split merge is still shown, and its customer no longer resolves here.
  ASSERT_TRUE(g_.Split(merge_1).applied());
  const v1::ExplainResponse after = Explain(GraphHarness::ById(c)).explain();
  EXPECT_THAT(after.merged_customer_ids(), ElementsAre(a));
  ASSERT_EQ(after.merges_size(), 2);
  EXPECT_TRUE(after.merges(0).split_command_id().empty());
  EXPECT_FALSE(after.merges(1).split_command_id().empty());
  EXPECT_EQ(after.history_size(), 2);
  const v1::ExplainResponse of_b = Explain(GraphHarness::ById(b)).explain();
  EXPECT_EQ(of_b.customer().customer_id(), b);
  EXPECT_EQ(of_b.identities_size(), 2);
  ASSERT_EQ(of_b.history_size(), 3);  // linked, merged away, split
  EXPECT_EQ(of_b.history(2).kind(), v1::GraphHistoryEntry::SPLIT);
}

TEST_F(GraphQueriesTest, ExplainOfNobodyIsNotFound) {
  const v1::QueryResponse r = Explain(GraphHarness::ByIdentity(a_phone_));
  ASSERT_TRUE(r.has_error());
  EXPECT_EQ(r.error().code(), "not_found");
}

TEST_F(GraphQueriesTest, PreviewShowsBothSidesAndWritesNothing) {
  g_.Event(v1::SMS, a_phone_, "sms:a");
  g_.Event(v1::SMS, a_phone_, "sms:a");
  g_.Event(v1::SMS, b_phone_, "sms:b");
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
  g_.Event(v1::EMAIL, b_mail_, "<thread-1@example.com>");
  g_.Event(v1::EMAIL, b_mail_);
  const auto before = g_.GraphDump();

  const v1::QueryResponse r = Preview(GraphHarness::ByIdentity(a_phone_), GraphHarness::ByIdentity(b_mail_));
  ASSERT_FALSE(r.has_error()) << r.error().message();
  const v1::MergePreviewResponse& p = r.merge_preview();
  EXPECT_EQ(p.survivor().customer_id(), g_.CustomerId(a_phone_));
  EXPECT_EQ(p.survivor().event_count(), 2u);
  EXPECT_THAT(p.survivor().conversations(), ElementsAre("sms:a"));
  ASSERT_EQ(p.survivor().identities_size(), 1);
  EXPECT_EQ(p.other().customer_id(), g_.CustomerId(b_phone_));
  EXPECT_EQ(p.other().event_count(), 3u);
  EXPECT_THAT(p.other().conversations(), ElementsAre("<thread-1@example.com>", "sms:b"));
  ASSERT_EQ(p.other().identities_size(), 2);
  EXPECT_EQ(p.other().identities(1).reason().rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(p.event_count_after(), 5u);
  EXPECT_EQ(g_.GraphDump(), before);

  const v1::QueryResponse same = Preview(GraphHarness::ByIdentity(b_phone_), GraphHarness::ByIdentity(b_mail_));
  ASSERT_TRUE(same.has_error());
  EXPECT_EQ(same.error().code(), "failed_precondition");
  const v1::QueryResponse nobody = Preview(GraphHarness::ByIdentity(a_phone_), GraphHarness::ByIdentity(c_phone_));
  ASSERT_TRUE(nobody.has_error());
  EXPECT_EQ(nobody.error().code(), "not_found");
  EXPECT_THAT(nobody.error().message(), ::testing::StartsWith("other: "));
}

}  // namespace
}  // namespace omnihub::unifier
