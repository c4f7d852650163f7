#include "services/unifier/ingest/batch_processor.h"

#include <gtest/gtest.h>

#include "common/bus/dead_letter_entry.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

class BatchProcessorTest : public ::testing::Test {
 protected:
  v1::Customer Lookup(const v1::Identity& id) {
    QueryService q(h_.store(), h_.normalizer(), {});
    v1::QueryRequest req;
    *req.mutable_get_customer()->mutable_customer()->mutable_identity() = id;
    auto resp = q.Handle(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.get_customer().customer();
  }

  UnifierHarness h_;
};

TEST_F(BatchProcessorTest, FirstSightCreatesCustomerAndAcksCumulatively) {
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0)),
                       UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "m2", Phone("+14155550100"), kT0 + 1))});
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 2u);
  EXPECT_EQ(r.acks[0].ack.publisher_id(), "p1");
  EXPECT_FALSE(r.acks[0].ack.resend());
  EXPECT_EQ(h_.processor().counters().events, 2u);
  EXPECT_EQ(h_.processor().counters().customers, 1u);
  EXPECT_EQ(Lookup(Phone("+14155550100")).event_count(), 2u);
  // One CUSTOMER_CREATED and two EVENT_ADDED, with gap-free change sequence numbers.
  ASSERT_EQ(r.changes.size(), 3u);
  for (size_t i = 0; i < r.changes.size(); ++i) EXPECT_EQ(r.changes[i].change_seq(), i + 1);
}

TEST_F(BatchProcessorTest, WhatsAppSenderJoinsSmsHistory) {
  h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "sms-1", Phone("+49 151 12345678"), kT0)),
              UnifierHarness::Frame("p1", 2,
                                    h_.MakeEvent(v1::WHATSAPP, "wa-1", Phone("whatsapp:+4915112345678"), kT0 + 5))});
  const auto c = Lookup(Phone("+4915112345678"));
  EXPECT_EQ(c.event_count(), 2u);
  EXPECT_EQ(h_.processor().counters().customers, 1u);
}

TEST_F(BatchProcessorTest, ResentSequenceIsSkippedAndAcked) {
  const auto e = h_.MakeEvent(v1::EMAIL, "<a@x>", Email("jane@example.com"), kT0);
  h_.Process({UnifierHarness::Frame("p1", 1, e)});
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, e)});
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 1u);
  EXPECT_EQ(h_.processor().counters().events, 1u);
}

TEST_F(BatchProcessorTest, ProviderRetryWithNewEventIdYieldsOneEntry) {
  h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "SM123", Phone("+14155550100"), kT0))});
  // The provider retried: a new event id, a new sequence, the same MessageSid.
  auto r = h_.Process({UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "SM123", Phone("+14155550100"), kT0))});
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 2u);
  EXPECT_EQ(h_.processor().counters().events, 1u);
  EXPECT_EQ(h_.processor().counters().duplicates, 1u);
  EXPECT_EQ(Lookup(Phone("+14155550100")).event_count(), 1u);
}

TEST_F(BatchProcessorTest, DuplicateWithinOneBatchIsCaught) {
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "SM9", Phone("+14155550100"), kT0)),
                       UnifierHarness::Frame("p2", 1, h_.MakeEvent(v1::SMS, "SM9", Phone("+14155550100"), kT0))});
  EXPECT_EQ(r.acks.size(), 2u);
  EXPECT_EQ(h_.processor().counters().events, 1u);
}

TEST_F(BatchProcessorTest, GapAsksForResendAndCommitsNothingBeyondIt) {
  auto r = h_.Process({UnifierHarness::Frame("p1", 3, h_.MakeEvent(v1::SMS, "m3", Phone("+14155550100"), kT0))});
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_TRUE(r.acks[0].ack.resend());
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 0u);
  EXPECT_EQ(h_.processor().counters().events, 0u);
}

TEST_F(BatchProcessorTest, MalformedEventIsDeadLetteredWithRawBytesAndAcked) {
  const std::string garbage = "\x08\x96\x01 not an event \xff";
  auto r = h_.Process({UnifierHarness::RawFrame("p1", 1, garbage),
                       UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "ok", Phone("+14155550100"), kT0))});
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 2u);
  EXPECT_EQ(h_.processor().counters().dead_letters, 1u);
  EXPECT_EQ(h_.processor().counters().events, 1u);

  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest req;
  req.mutable_dead_letters();
  auto resp = q.Handle(req);
  ASSERT_EQ(resp.dead_letters().entries_size(), 1);
  const auto& dl = resp.dead_letters().entries(0);
  EXPECT_EQ(dl.dead_letter_id(), 1u);
  EXPECT_EQ(dl.raw(), garbage);
  EXPECT_EQ(dl.publisher_id(), "p1");
  EXPECT_EQ(dl.sequence(), 1u);
  EXPECT_FALSE(dl.reason().empty());
  EXPECT_EQ(dl.source(), "bus:p1:1");
  EXPECT_EQ(dl.received_at_us(), 0);  // the apply time: nothing with a time was applied before it
}

// Make-before-break: a client from before DeadLetterListResponse.entries reads the stored
// record in the deprecated field, and a new client reads an old server's answer.
TEST_F(BatchProcessorTest, DeadLetterListStillFillsTheDeprecatedStoredRecords) {
  v1::Rejected rejected;
  rejected.set_reason("bad json");
  rejected.set_raw("{x");
  rejected.set_source("webhook");
  (*rejected.mutable_context())["mail_from"] = "a@example.net";
  v1::BusFrame frame;
  frame.set_protocol_version(v1::BusVersion::CURRENT);
  frame.set_publisher_id("p1");
  frame.set_sequence(1);
  *frame.mutable_rejected() = rejected;
  h_.Process({frame.SerializeAsString()});

  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest req;
  req.mutable_dead_letters();
  auto resp = q.Handle(req);
  ASSERT_EQ(resp.dead_letters().entries_size(), 1);
  ASSERT_EQ(resp.dead_letters().dead_letters_size(), 1);
  const v1::DeadLetter& stored = resp.dead_letters().dead_letters(0);
  const v1::DeadLetterEntry& entry = resp.dead_letters().entries(0);
  EXPECT_EQ(stored.dead_letter_id(), entry.dead_letter_id());
  EXPECT_EQ(stored.raw(), "{x");
  EXPECT_EQ(stored.source(), "webhook");
  EXPECT_EQ(entry.context().at("mail_from"), "a@example.net");
  EXPECT_EQ(bus::ToDeadLetterEntry(stored).SerializeAsString(), entry.SerializeAsString());

  v1::DeadLetterListResponse old_server;
  *old_server.mutable_dead_letters() = resp.dead_letters().dead_letters();
  auto read = bus::DeadLetterEntries(old_server);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].SerializeAsString(), entry.SerializeAsString());
  EXPECT_EQ(bus::DeadLetterEntries(resp.dead_letters())[0].SerializeAsString(), entry.SerializeAsString());
}

TEST_F(BatchProcessorTest, EventFailingValidationIsDeadLettered) {
  auto e = h_.MakeEvent(v1::SMS, "bad", Phone("+14155550100"), kT0);
  e.mutable_sender()->set_value("not a number");
  h_.Process({UnifierHarness::Frame("p1", 1, e)});
  EXPECT_EQ(h_.processor().counters().dead_letters, 1u);
  EXPECT_EQ(h_.processor().counters().events, 0u);
}

TEST_F(BatchProcessorTest, OutboundEventBelongsToItsRecipient) {
  auto e = h_.MakeEvent(v1::EMAIL, "<reply@x>", Email("support@shop.example"), kT0);
  e.set_direction(v1::OUTBOUND);
  *e.add_recipients() = Email("jane@example.com");
  h_.Process({UnifierHarness::Frame("p1", 1, e)});
  EXPECT_EQ(Lookup(Email("jane@example.com")).event_count(), 1u);
}

TEST_F(BatchProcessorTest, StateSurvivesReopen) {
  h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0))});
  h_.Reopen();
  // Sequence 1 is known after the restart; provider id m1 too.
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0)),
                       UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0))});
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 2u);
  EXPECT_EQ(h_.processor().counters().events, 1u);
  EXPECT_EQ(h_.processor().counters().customers, 1u);
}

TEST_F(BatchProcessorTest, InvalidPartyLinkDeadLettersTheEvent) {
  auto e = h_.MakeEvent(v1::WHATSAPP, "wamid.1", Phone("+16505551234"), kT0);
  v1::IdentityLink* link = e.add_party_links();
  link->mutable_identity()->set_kind(v1::Identity::PLATFORM);
  link->mutable_identity()->set_platform("whatsapp");
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, e)});
  EXPECT_EQ(h_.processor().counters().dead_letters, 1u);
  EXPECT_EQ(h_.processor().counters().events, 0u);
  EXPECT_EQ(h_.processor().counters().identities, 0u);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].kind(), v1::DEAD_LETTERED);

  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest req;
  req.mutable_dead_letters();
  auto resp = q.Handle(req);
  ASSERT_EQ(resp.dead_letters().entries_size(), 1);
  EXPECT_EQ(resp.dead_letters().entries(0).reason(), "field 'party_links[0].identity': user id of platform 'whatsapp' is empty");
}

TEST_F(BatchProcessorTest, PartyLinksAreAnnouncedBetweenCustomerCreatedAndEventAdded) {
  auto e = h_.MakeEvent(v1::WHATSAPP, "wamid.1", Phone("+16505551234"), kT0);
  v1::IdentityLink* link = e.add_party_links();
  *link->mutable_identity() = *h_.normalizer().Platform("whatsapp", "102290129340398", "US.123");
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, e)});
  ASSERT_EQ(r.changes.size(), 3u);
  EXPECT_EQ(r.changes[0].kind(), v1::CUSTOMER_CREATED);
  EXPECT_EQ(r.changes[1].kind(), v1::IDENTITY_LINKED);
  EXPECT_EQ(r.changes[1].change_seq(), 2u);
  EXPECT_GT(r.changes[1].committed_at_us(), 0);
  EXPECT_EQ(r.changes[1].customer_id(), r.changes[0].customer_id());
  EXPECT_EQ(r.changes[1].identity().value(), "US.123");
  EXPECT_EQ(r.changes[1].event_id(), e.event_id());
  EXPECT_EQ(r.changes[2].kind(), v1::EVENT_ADDED);
  EXPECT_EQ(h_.processor().counters().identities, 2u);
  EXPECT_EQ(Lookup(Phone("+16505551234")).identities_size(), 2);
}

TEST(BatchProcessorFaultTest, FailedSyncAcknowledgesNothingAndRollsBack) {
  omnihub::testing::SyncControl control;
  auto env = rocksdb::NewCompositeEnv(std::make_shared<omnihub::testing::WalSyncFileSystem>(control));
  UnifierHarness h(env.get());
  h.Process({UnifierHarness::Frame("p1", 1, h.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0))});

  control.fail = true;
  std::vector<InboundFrame> frames;
  frames.push_back({"peer", UnifierHarness::Frame("p1", 2, h.MakeEvent(v1::SMS, "m2", Phone("+14155550111"), kT0))});
  auto failed = h.processor().Process(std::move(frames));
  ASSERT_FALSE(failed.ok());  // no acks to send: the caller gets only the error
  EXPECT_EQ(h.processor().counters().events, 1u);
  EXPECT_EQ(h.processor().counters().customers, 1u);

  // After a restart the publisher's resend of sequence 2 is taken, exactly once.
  control.fail = false;
  h.Reopen();
  auto r = h.Process({UnifierHarness::Frame("p1", 2, h.MakeEvent(v1::SMS, "m2", Phone("+14155550111"), kT0))});
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 2u);
  EXPECT_EQ(h.processor().counters().events, 2u);
  EXPECT_EQ(h.processor().counters().customers, 2u);
}

}  // namespace
}  // namespace omnihub::unifier
