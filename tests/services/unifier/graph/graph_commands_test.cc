// The identity graph's commands (link, unlink, merge, split) applied through BatchProcessor
// over a real RocksDB, as command frames among event frames.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/unifier/graph/graph_test_util.h"

namespace omnihub::unifier {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;
using testing::Email;
using testing::GraphHarness;
using testing::IdentityValues;
using testing::Phone;

// What must come back exactly after a split: the record less its history (which only grows)
// and its event count (checked against the timeline).
v1::CustomerRecord Comparable(v1::CustomerRecord c) {
  c.clear_history();
  return c;
}

std::vector<std::string> Plus(std::vector<std::string> ids, const std::vector<std::string>& newer) {
  ids.insert(ids.begin(), newer.begin(), newer.end());  // newest first
  return ids;
}

class GraphCommandsTest : public ::testing::Test {
 protected:
  GraphHarness g_;
  const v1::Identity a_phone_ = Phone("+14155550100");
  const v1::Identity a_mail_ = Email("ana@example.com");
  const v1::Identity b_phone_ = Phone("+14155550111");
  const v1::Identity b_mail_ = Email("bo@example.com");
  const v1::Identity c_phone_ = Phone("+14155550122");
};

TEST_F(GraphCommandsTest, LinkOfANewIdentityCreatesItAnchoredOnTheNamedIdentity) {
  g_.Event(v1::SMS, a_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const v1::CommandResult r = g_.Link(GraphHarness::ByIdentity(Phone("(415) 555-0100")), a_mail_);
  ASSERT_TRUE(r.applied()) << r.error_message();
  EXPECT_EQ(r.customer_id(), a);

  const v1::IdentityRecord linked = g_.IdentityRecord(a_mail_);
  EXPECT_EQ(linked.customer_id(), a);
  EXPECT_EQ(linked.identity_id(), 2u);
  EXPECT_EQ(linked.reason().rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(linked.reason().agent(), "agent-7");
  EXPECT_EQ(linked.reason().detail(), "same person");
  EXPECT_EQ(linked.reason().command_id(), r.command_id());
  EXPECT_EQ(linked.reason().anchor_identity_id(), g_.IdentityRecord(a_phone_).identity_id());
  EXPECT_EQ(linked.reason().linked_at_us(), testing::kGraphT0 + 500'000'000 + 1);  // its command's issued_at_us

  const v1::CustomerRecord c = g_.Customer(a_mail_);
  EXPECT_EQ(c.customer_id(), a);
  EXPECT_THAT(c.identity_ids(), ElementsAre(1u, 2u));
  EXPECT_EQ(c.event_count(), 1u);
  ASSERT_EQ(c.history_size(), 1);
  EXPECT_EQ(c.history(0).kind(), v1::GraphHistoryEntry::LINKED);
  EXPECT_EQ(c.history(0).identity().value(), "ana@example.com");
  EXPECT_EQ(g_.harness().processor().counters().identities, 2u);
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].kind(), v1::IDENTITY_LINKED);
  EXPECT_EQ(g_.last_changes()[0].customer_id(), a);
  EXPECT_EQ(g_.last_changes()[0].command_id(), r.command_id());
  EXPECT_EQ(r.change_seq(), g_.last_changes()[0].change_seq());

  // Later mail from the linked address joins the customer.
  g_.Event(v1::EMAIL, a_mail_);
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 2u);
  EXPECT_EQ(g_.Timeline(a).size(), 2u);
}

TEST_F(GraphCommandsTest, LinkOfAnotherCustomersIdentityMovesItWithItsEvents) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
  g_.Event(v1::EMAIL, b_mail_);
  const std::string mail_event = g_.Event(v1::EMAIL, b_mail_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);

  const v1::CommandResult r = g_.Link(GraphHarness::ById(a), b_mail_);
  ASSERT_TRUE(r.applied()) << r.error_message();
  EXPECT_EQ(g_.CustomerId(b_mail_), a);
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 3u);
  EXPECT_EQ(g_.Timeline(a).size(), 3u);
  EXPECT_EQ(g_.Timeline(a).front(), mail_event);
  EXPECT_EQ(g_.Stored(b).event_count(), 1u);
  EXPECT_THAT(IdentityValues(g_.Stored(b)), ElementsAre("+14155550111"));
  ASSERT_EQ(g_.Stored(b).history_size(), 2);
  EXPECT_EQ(g_.Stored(b).history(1).kind(), v1::GraphHistoryEntry::LINK_MOVED_OUT);
  EXPECT_EQ(g_.Stored(b).history(1).other_customer_id(), a);
  const v1::IdentityRecord moved = g_.IdentityRecord(b_mail_);
  EXPECT_EQ(moved.reason().rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(moved.reason().anchor_identity_id(), 0u);  // the customer was named by its id
  ASSERT_EQ(moved.history_size(), 1);
  EXPECT_EQ(moved.history(0).rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(moved.history(0).anchor_identity_id(), g_.IdentityRecord(b_phone_).identity_id());
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].merged_customer_id(), b);
}

TEST_F(GraphCommandsTest, RejectionsLeaveNothingButTheirResult) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const auto before = g_.GraphDump();

  const v1::CommandResult again = g_.Link(GraphHarness::ById(a), a_phone_);
  EXPECT_FALSE(again.applied());
  EXPECT_EQ(again.error_code(), "failed_precondition");
  EXPECT_THAT(again.error_message(), ::testing::HasSubstr("already linked"));

  const v1::CommandResult alone = g_.Unlink(a_phone_);
  EXPECT_FALSE(alone.applied());
  EXPECT_THAT(alone.error_message(), ::testing::HasSubstr("only identity"));

  EXPECT_EQ(g_.Merge(a, a).error_code(), "failed_precondition");  // a conflict with the graph (API: 409)
  EXPECT_EQ(g_.Unlink(Email("nobody@example.com")).error_code(), "not_found");
  EXPECT_EQ(g_.Split("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").error_code(), "not_found");
  EXPECT_EQ(g_.Split("not-a-merge").error_code(), "invalid_argument");
  v1::Command no_reason = g_.MergeCommand(a, g_.CustomerId(b_phone_));
  no_reason.clear_reason();
  const v1::CommandResult unexplained = g_.Apply(no_reason);
  EXPECT_EQ(unexplained.error_code(), "invalid_argument");
  EXPECT_THAT(unexplained.error_message(), ::testing::HasSubstr("reason"));
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].kind(), v1::COMMAND_REJECTED);

  EXPECT_EQ(g_.GraphDump(), before);
  EXPECT_EQ(g_.harness().processor().counters().identities, 2u);
  EXPECT_EQ(g_.harness().processor().counters().customers, 2u);
}

TEST_F(GraphCommandsTest, UnlinkMovesTheIdentityIntoACustomerOfItsOwnWithADerivedId) {
  g_.Event(v1::SMS, a_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ById(a), a_mail_).applied());
  const std::string mail_1 = g_.Event(v1::EMAIL, a_mail_);
  const std::string mail_2 = g_.Event(v1::EMAIL, a_mail_);
  const uint64_t customers_before = g_.harness().processor().counters().customers;

  const v1::CommandResult r = g_.Unlink(Email("ANA@example.com"));
  ASSERT_TRUE(r.applied()) << r.error_message();
  const std::string n = r.customer_id();
  ASSERT_EQ(n.size(), 36u);
  EXPECT_EQ(n[14], '8');  // version 8: derived, not generated
  EXPECT_NE(n, a);
  EXPECT_EQ(g_.CustomerId(a_mail_), n);
  EXPECT_THAT(g_.Timeline(n), ElementsAre(mail_2, mail_1));
  EXPECT_EQ(g_.Customer(a_mail_).event_count(), 2u);
  EXPECT_EQ(g_.Customer(a_mail_).created_at_us(), testing::kGraphT0 + 500'000'000 + 2);
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 1u);
  EXPECT_EQ(g_.Timeline(a).size(), 1u);
  EXPECT_EQ(g_.harness().processor().counters().customers, customers_before + 1);

  const v1::IdentityRecord unlinked = g_.IdentityRecord(a_mail_);
  EXPECT_EQ(unlinked.reason().rule(), v1::LinkReason::UNLINK);
  EXPECT_EQ(unlinked.reason().detail(), "not the same person");
  ASSERT_EQ(unlinked.history_size(), 1);
  EXPECT_EQ(unlinked.history(0).rule(), v1::LinkReason::AGENT_LINK);
  EXPECT_EQ(g_.Customer(a_mail_).history(0).kind(), v1::GraphHistoryEntry::CREATED_BY_UNLINK);
  EXPECT_EQ(g_.Customer(a_mail_).history(0).other_customer_id(), a);
  EXPECT_EQ(g_.Customer(a_phone_).history(1).kind(), v1::GraphHistoryEntry::UNLINKED);
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].kind(), v1::IDENTITY_UNLINKED);
  EXPECT_EQ(g_.last_changes()[0].customer_id(), n);
  EXPECT_EQ(g_.last_changes()[0].merged_customer_id(), a);
}

TEST_F(GraphCommandsTest, MergeThenSplitGivesBothCustomersBackWithWhatArrivedInBetween) {
  g_.Event(v1::SMS, a_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(a_phone_), a_mail_).applied());
  g_.Event(v1::EMAIL, a_mail_);
  g_.Event(v1::SMS, b_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
  g_.Event(v1::EMAIL, b_mail_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const v1::CustomerRecord a_before = g_.Stored(a);
  const v1::CustomerRecord b_before = g_.Stored(b);
  const auto a_timeline = g_.Timeline(a);
  const auto b_timeline = g_.Timeline(b);

  const v1::CommandResult merged = g_.Merge(a, b);
  ASSERT_TRUE(merged.applied()) << merged.error_message();
  EXPECT_EQ(merged.customer_id(), a);
  EXPECT_EQ(merged.merge_id(), base::UuidToString(merged.command_id()));
  EXPECT_EQ(g_.Customer(GraphHarness::ById(b)).customer_id(), a);  // b's id answers the survivor
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 5u);
  EXPECT_EQ(g_.Timeline(b).size(), 5u);
  EXPECT_EQ(g_.IdentityRecord(b_phone_).reason().rule(), v1::LinkReason::MERGE);
  EXPECT_EQ(g_.IdentityRecord(b_phone_).reason().merged_from(), b);
  EXPECT_EQ(g_.IdentityRecord(b_phone_).reason().merge_id(), merged.merge_id());
  const v1::MergeRecord record = g_.MergeRecord(merged.merge_id());
  EXPECT_EQ(record.survivor_id(), a);
  EXPECT_EQ(record.other_id(), b);
  EXPECT_THAT(record.moved_identity_ids(), ElementsAre(3u, 4u));
  EXPECT_THAT(record.survivor_identity_ids(), ElementsAre(1u, 2u));
  EXPECT_EQ(record.other_before().SerializeAsString(), b_before.SerializeAsString());
  EXPECT_EQ(g_.Stored(b).merged_into(), a);
  EXPECT_EQ(g_.Stored(b).merge_id(), merged.merge_id());
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].kind(), v1::CUSTOMERS_MERGED);
  EXPECT_EQ(g_.last_changes()[0].merge_id(), merged.merge_id());

  // Events keep arriving on both sides while they are one customer.
  const std::string new_b = g_.Event(v1::EMAIL, b_mail_);
  const std::string new_a = g_.Event(v1::SMS, a_phone_);
  EXPECT_EQ(g_.Customer(b_mail_).event_count(), 7u);

  const v1::CommandResult split = g_.Split(merged.merge_id());
  ASSERT_TRUE(split.applied()) << split.error_message();
  EXPECT_THAT(split.customer_ids(), ElementsAre(a, b));
  EXPECT_EQ(g_.Customer(GraphHarness::ById(b)).customer_id(), b);  // b's id answers itself again

  v1::CustomerRecord a_expected = Comparable(a_before);
  a_expected.set_event_count(a_before.event_count() + 1);
  v1::CustomerRecord b_expected = Comparable(b_before);
  b_expected.set_event_count(b_before.event_count() + 1);
  EXPECT_EQ(Comparable(g_.Stored(a)).SerializeAsString(), a_expected.SerializeAsString())
      << Comparable(g_.Stored(a)).ShortDebugString();
  EXPECT_EQ(Comparable(g_.Stored(b)).SerializeAsString(), b_expected.SerializeAsString())
      << Comparable(g_.Stored(b)).ShortDebugString();
  EXPECT_EQ(g_.Timeline(a), Plus(a_timeline, {new_a}));
  EXPECT_EQ(g_.Timeline(b), Plus(b_timeline, {new_b}));
  for (const auto& id : {b_phone_, b_mail_}) {
    const v1::IdentityRecord back = g_.IdentityRecord(id);
    EXPECT_EQ(back.customer_id(), b);
    EXPECT_EQ(back.reason().rule(), v1::LinkReason::SPLIT);
    EXPECT_EQ(back.reason().merge_id(), merged.merge_id());
    EXPECT_EQ(back.history(back.history_size() - 1).rule(), v1::LinkReason::MERGE);
  }
  EXPECT_EQ(g_.Stored(b).history(g_.Stored(b).history_size() - 1).kind(), v1::GraphHistoryEntry::SPLIT);
  EXPECT_EQ(g_.Stored(a).history(g_.Stored(a).history_size() - 1).kind(), v1::GraphHistoryEntry::SPLIT);
  EXPECT_EQ(g_.MergeRecord(merged.merge_id()).split_command_id(), split.command_id());
  ASSERT_EQ(g_.last_changes().size(), 1u);
  EXPECT_EQ(g_.last_changes()[0].kind(), v1::CUSTOMERS_SPLIT);
  EXPECT_EQ(g_.last_changes()[0].customer_id(), a);
  EXPECT_EQ(g_.last_changes()[0].merged_customer_id(), b);

  const v1::CommandResult twice = g_.Split(merged.merge_id());
  EXPECT_EQ(twice.error_code(), "failed_precondition");
  EXPECT_THAT(twice.error_message(), ::testing::HasSubstr("already split"));
}

class MergeOfMergesTest : public GraphCommandsTest {
 protected:
  // Three customers, each with two identities and some events; then A takes B in (merge 1)
  // and C takes A in (merge 2).
  void SetUp() override {
    g_.Event(v1::SMS, a_phone_);
    ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(a_phone_), a_mail_).applied());
    g_.Event(v1::EMAIL, a_mail_);
    g_.Event(v1::SMS, b_phone_);
    ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
    g_.Event(v1::EMAIL, b_mail_);
    g_.Event(v1::SMS, b_phone_);
    g_.Event(v1::SMS, c_phone_);
    for (const auto& id : {a_phone_, b_phone_, c_phone_}) {
      ids_.push_back(g_.CustomerId(id));
      before_.push_back(Comparable(g_.Stored(ids_.back())));
      timelines_.push_back(g_.Timeline(ids_.back()));
    }
    merge_1_ = g_.Merge(ids_[0], ids_[1]).merge_id();
    merge_2_ = g_.Merge(ids_[2], ids_[0]).merge_id();
    ASSERT_FALSE(merge_1_.empty());
    ASSERT_FALSE(merge_2_.empty());
    EXPECT_EQ(g_.CustomerId(b_mail_), ids_[2]);
    EXPECT_EQ(g_.Customer(GraphHarness::ById(ids_[1])).customer_id(), ids_[2]);
    EXPECT_EQ(g_.Customer(c_phone_).event_count(), 6u);
    EXPECT_THAT(g_.MergeRecord(merge_2_).moved_identity_ids(), ElementsAre(1u, 2u, 3u, 4u));
  }

  void ExpectAllAsBefore() {
    for (size_t i = 0; i < ids_.size(); ++i) {
      EXPECT_EQ(Comparable(g_.Stored(ids_[i])).SerializeAsString(), before_[i].SerializeAsString())
          << i << ": " << Comparable(g_.Stored(ids_[i])).ShortDebugString();
      EXPECT_EQ(g_.Timeline(ids_[i]), timelines_[i]) << i;
      EXPECT_EQ(g_.Customer(GraphHarness::ById(ids_[i])).customer_id(), ids_[i]);
    }
  }

  std::vector<std::string> ids_;
  std::vector<v1::CustomerRecord> before_;
  std::vector<std::vector<std::string>> timelines_;
  std::string merge_1_;
  std::string merge_2_;
};

TEST_F(MergeOfMergesTest, SplitInReverseOrderRestoresAllThree) {
  ASSERT_TRUE(g_.Split(merge_2_).applied());
  EXPECT_THAT(IdentityValues(g_.Stored(ids_[0])),
              ElementsAre("+14155550100", "+14155550111", "ana@example.com", "bo@example.com"));
  EXPECT_THAT(IdentityValues(g_.Stored(ids_[2])), ElementsAre("+14155550122"));
  ASSERT_TRUE(g_.Split(merge_1_).applied());
  ExpectAllAsBefore();
}

TEST_F(MergeOfMergesTest, SplitOutOfOrderRestoresAllThree) {
  // The first merge's survivor (A) now lives inside C: B's identities come back out of C.
  const v1::CommandResult first = g_.Split(merge_1_);
  ASSERT_TRUE(first.applied()) << first.error_message();
  EXPECT_THAT(first.customer_ids(), ElementsAre(ids_[2], ids_[1]));
  EXPECT_THAT(IdentityValues(g_.Stored(ids_[1])), ElementsAre("+14155550111", "bo@example.com"));
  EXPECT_THAT(IdentityValues(g_.Stored(ids_[2])), ElementsAre("+14155550100", "+14155550122", "ana@example.com"));
  EXPECT_EQ(g_.Stored(ids_[2]).event_count(), 3u);
  ASSERT_TRUE(g_.Split(merge_2_).applied());
  ExpectAllAsBefore();
}

TEST_F(GraphCommandsTest, EventsAroundAMergeInOneProcessCallAreEachOnTheTimelineOnce) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const v1::Command merge = g_.MergeCommand(a, b);
  // Adapter frames before and after the command, in one receive: the processor commits the
  // ones before, then the command alone, then the ones after.
  std::vector<std::string> frames;
  frames.push_back(g_.EventFrame(v1::SMS, b_phone_));
  frames.push_back(g_.EventFrame(v1::SMS, a_phone_));
  frames.push_back(g_.CommandFrame(merge));
  frames.push_back(g_.EventFrame(v1::SMS, b_phone_));
  frames.push_back(g_.EventFrame(v1::EMAIL, b_mail_));
  const BatchResult r = g_.harness().Process(std::move(frames));
  ASSERT_EQ(r.acks.size(), 2u);
  EXPECT_TRUE(g_.Result(merge.command_id()).applied());

  const auto timeline = g_.Timeline(a);
  EXPECT_EQ(timeline.size(), 5u);
  EXPECT_EQ(std::set<std::string>(timeline.begin(), timeline.end()).size(), 5u);
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 5u);
  EXPECT_EQ(g_.harness().processor().counters().events, 6u);
  // The address first seen after the merge is a customer of its own (a merge joins only
  // what the two had).
  EXPECT_NE(g_.CustomerId(b_mail_), a);
  // The change log says it in order: two events, the merge, two more events (and the new customer).
  std::vector<v1::ChangeKind> kinds;
  for (const auto& c : r.changes) kinds.push_back(c.kind());
  EXPECT_THAT(kinds, ElementsAre(v1::EVENT_ADDED, v1::EVENT_ADDED, v1::CUSTOMERS_MERGED, v1::EVENT_ADDED,
                                 v1::CUSTOMER_CREATED, v1::EVENT_ADDED));
  EXPECT_EQ(r.changes[3].customer_id(), a);
}

TEST_F(GraphCommandsTest, UnlinkOfTheIdentityAMergeCameThroughStaysWhereItIsAfterTheSplit) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), b_mail_).applied());
  const std::string mail_event = g_.Event(v1::EMAIL, b_mail_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const std::string merge_id = g_.Merge(a, b).merge_id();

  const v1::CommandResult unlinked = g_.Unlink(b_mail_);
  ASSERT_TRUE(unlinked.applied()) << unlinked.error_message();
  ASSERT_TRUE(g_.Split(merge_id).applied());
  EXPECT_EQ(g_.CustomerId(b_mail_), unlinked.customer_id());
  EXPECT_THAT(g_.Timeline(unlinked.customer_id()), ElementsAre(mail_event));
  EXPECT_THAT(IdentityValues(g_.Stored(b)), ElementsAre("+14155550111"));
  EXPECT_EQ(g_.Stored(b).event_count(), 1u);
  EXPECT_THAT(IdentityValues(g_.Stored(a)), ElementsAre("+14155550100"));
  EXPECT_EQ(g_.Stored(a).event_count(), 1u);
}

TEST_F(GraphCommandsTest, APlatformMergeIsRecordedAndSplitEvenAfterItsLinkWasUnlinked) {
  const event::IdentityNormalizer& n = g_.harness().normalizer();
  const v1::Identity user = *n.Platform("whatsapp", "waba", "US.123");
  g_.Event(v1::SMS, a_phone_);                       // customer P: the number's SMS history
  g_.Event(v1::WHATSAPP, user);                      // customer U: the user id alone
  const std::string p = g_.CustomerId(a_phone_);
  const std::string u = g_.CustomerId(user);
  // One delivery carries both: the platform says they are one person, so U merges into P.
  v1::Event both = g_.harness().MakeEvent(v1::WHATSAPP, "wamid.1", a_phone_, testing::kGraphT0 + 99'000);
  v1::IdentityLink* link = both.add_party_links();
  *link->mutable_identity() = user;
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  g_.Commit(both);
  EXPECT_EQ(g_.CustomerId(user), p);
  std::string merge_id;
  for (const auto& c : g_.last_changes()) {
    if (c.kind() == v1::CUSTOMERS_MERGED) merge_id = c.merge_id();
  }
  ASSERT_EQ(merge_id.size(), 36u);
  const v1::MergeRecord record = g_.MergeRecord(merge_id);
  EXPECT_EQ(record.survivor_id(), p);
  EXPECT_EQ(record.other_id(), u);
  EXPECT_EQ(record.event_id(), both.event_id());
  EXPECT_THAT(record.moved_identity_ids(), ElementsAre(2u));
  const v1::IdentityRecord came = g_.IdentityRecord(user);
  EXPECT_EQ(came.reason().rule(), v1::LinkReason::MERGE);
  EXPECT_EQ(came.reason().detail(), "whatsapp: one message carried both wa_id and user_id");
  EXPECT_EQ(came.reason().event_id(), both.event_id());
  EXPECT_EQ(came.reason().merge_id(), merge_id);
  EXPECT_EQ(g_.Stored(u).merge_id(), merge_id);

  // The identity the merge came through leaves, then the merge is split: it stays where it
  // went, and U gets its record back without it.
  const v1::CommandResult unlinked = g_.Unlink(user);
  ASSERT_TRUE(unlinked.applied()) << unlinked.error_message();
  const v1::CommandResult split = g_.Split(merge_id);
  ASSERT_TRUE(split.applied()) << split.error_message();
  EXPECT_EQ(g_.CustomerId(user), unlinked.customer_id());
  EXPECT_EQ(g_.Timeline(unlinked.customer_id()).size(), 1u);
  EXPECT_EQ(g_.Stored(u).merged_into(), "");
  EXPECT_EQ(g_.Stored(u).identity_ids_size(), 0);
  EXPECT_EQ(g_.Stored(u).event_count(), 0u);
  EXPECT_EQ(g_.Customer(a_phone_).event_count(), 2u);
  EXPECT_EQ(g_.Customer(GraphHarness::ById(u)).customer_id(), u);
}

TEST_F(GraphCommandsTest, LinksAnchoredOnTheOtherSideFollowItThroughASplit) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const std::string merge_id = g_.Merge(a, b).merge_id();
  // Inside the merged customer: one address is linked naming B's phone, a second naming that
  // address (anchored recursively), a third naming A's phone, a fourth by the customer's id.
  const v1::Identity x = Email("x@example.com");
  const v1::Identity y = Email("y@example.com");
  const v1::Identity z = Email("z@example.com");
  const v1::Identity w = Email("w@example.com");
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(b_phone_), x).applied());
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(x), y).applied());
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(a_phone_), z).applied());
  ASSERT_TRUE(g_.Link(GraphHarness::ById(b), w).applied());
  const std::string y_event = g_.Event(v1::EMAIL, y);
  EXPECT_EQ(g_.CustomerId(y), a);

  ASSERT_TRUE(g_.Split(merge_id).applied());
  EXPECT_THAT(IdentityValues(g_.Stored(b)), ElementsAre("+14155550111", "x@example.com", "y@example.com"));
  EXPECT_THAT(IdentityValues(g_.Stored(a)), ElementsAre("+14155550100", "w@example.com", "z@example.com"));
  EXPECT_EQ(g_.Stored(b).event_count(), 2u);
  EXPECT_EQ(g_.Timeline(b).front(), y_event);
  EXPECT_EQ(g_.Stored(a).event_count(), 1u);
}

TEST_F(GraphCommandsTest, ALinkTheSurvivorHadBeforeTheMergeStaysWhereverItsAnchorWent) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  ASSERT_TRUE(g_.Link(GraphHarness::ByIdentity(a_phone_), a_mail_).applied());  // anchored on A's phone
  ASSERT_TRUE(g_.Link(GraphHarness::ById(b), a_phone_).applied());              // the anchor moves to B
  const std::string merge_id = g_.Merge(a, b).merge_id();
  ASSERT_TRUE(g_.Split(merge_id).applied());
  EXPECT_THAT(IdentityValues(g_.Stored(a)), ElementsAre("ana@example.com"));
  EXPECT_THAT(IdentityValues(g_.Stored(b)), ElementsAre("+14155550100", "+14155550111"));
}

// An erasure removes records a MergeRecord names; a split of that merge is refused, not a
// storage failure that would stop ingest and come back with every replay.
TEST_F(GraphCommandsTest, ASplitWhoseCustomerIsGoneIsRefused) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const std::string merge_id = g_.Merge(a, b).merge_id();
  Store& store = g_.harness().store();
  ASSERT_TRUE(store.db()->Delete(rocksdb::WriteOptions(), store.customers(), b).ok());
  const v1::CommandResult split = g_.Split(merge_id);
  EXPECT_EQ(split.error_code(), "failed_precondition");
  EXPECT_THAT(split.error_message(), ::testing::HasSubstr("no longer exists"));
  ASSERT_TRUE(store.db()->Delete(rocksdb::WriteOptions(), store.customers(), a).ok());
  EXPECT_EQ(g_.Split(merge_id).error_code(), "failed_precondition");
}

TEST_F(GraphCommandsTest, AResentCommandIsAppliedOnce) {
  g_.Event(v1::SMS, a_phone_);
  g_.Event(v1::SMS, b_phone_);
  const std::string a = g_.CustomerId(a_phone_);
  const std::string b = g_.CustomerId(b_phone_);
  const v1::Command merge = g_.MergeCommand(a, b);
  ASSERT_TRUE(g_.Apply(merge).applied());
  const auto after_first = g_.GraphDump();
  const uint64_t duplicates = g_.harness().processor().counters().duplicates;
  // The issuer crashed before it saw the result and sent the command again (a new sequence).
  const v1::CommandResult again = g_.Apply(merge);
  EXPECT_TRUE(again.applied());
  EXPECT_TRUE(g_.last_changes().empty());
  EXPECT_EQ(g_.GraphDump(), after_first);
  EXPECT_EQ(g_.harness().processor().counters().duplicates, duplicates + 1);
}

}  // namespace
}  // namespace omnihub::unifier
