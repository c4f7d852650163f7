// deadletter replay against a fake hub and publisher: the dead letter is fetched, read
// again by the re-parser of its source, published through the replay outbox and reported
// once committed; every refusal names its reason and leaves nothing published.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "services/email/parse/email_reader.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kLine[] =
    R"({"channel":"sms","account":"+12025550000","direction":"inbound","provider_message_id":"SM9",)"
    R"("occurred_at":"2026-11-20T10:00:00Z","from":{"phone":"+14155550100"},"text":"hi"})";

v1::QueryResponse DeadLetterPage(uint64_t id, const std::string& source, const std::string& raw) {
  v1::QueryResponse resp;
  auto* dl = resp.mutable_dead_letters()->add_entries();
  dl->set_dead_letter_id(id);
  dl->set_source(source);
  dl->set_raw(raw);
  return resp;
}

class DeadLetterCommandTest : public testing::CtlTest {
 protected:
  std::vector<std::string> ReplayArgs(const std::string& id) { return {"replay", id, "--outbox", Path("replay")}; }
};

TEST_F(DeadLetterCommandTest, ReplayPublishesTheRebuiltEventAndReportsItsCommit) {
  hub_.Answer(DeadLetterPage(3, "inject:events.jsonl:12", kLine));

  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("3")), kExitOk) << err();
  ASSERT_EQ(published_.size(), 1u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(published_[0].event_bytes));
  EXPECT_EQ(event.provider_message_id(), "SM9");
  EXPECT_THAT(event.flags(), Contains(kFlagReplayed));
  EXPECT_EQ(out(), "{\"committed\":true,\"dead_letter_id\":3,\"event_id\":\"" + base::UuidToString(event.event_id()) +
                       "\",\"provider_message_id\":\"SM9\"}\n");
  EXPECT_EQ(err(), "");
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].dead_letters().after_id(), 2u);
  EXPECT_EQ(hub_.requests[0].dead_letters().limit(), 1u);
}

TEST_F(DeadLetterCommandTest, ReplayOfAnEmailUsesTheMailParserWithTheKeptEnvelope) {
  v1::QueryResponse page = DeadLetterPage(
      7, "email:smtp:127.0.0.1:40000",
      "From: Ana <ana@example.net>\r\nTo: support@example.com\r\nSubject: Refund\r\n"
      "Message-ID: <refund-7@example.net>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease refund.\r\n");
  email::StoreEnvelope({"ana@example.net", {"billing@example.com"}},
                       page.mutable_dead_letters()->mutable_entries(0)->mutable_context());
  hub_.Answer(page);

  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("7")), kExitOk) << err();
  ASSERT_EQ(published_.size(), 1u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(published_[0].event_bytes));
  EXPECT_EQ(event.account(), "billing@example.com");
  EXPECT_FALSE(published_[0].blobs.empty());  // the raw message travels with it
  EXPECT_THAT(out(), HasSubstr("\"provider_message_id\":\"refund-7@example.net\""));
}

TEST_F(DeadLetterCommandTest, ASourceWithoutReparserIsNamedAndNothingIsPublished) {
  hub_.Answer(DeadLetterPage(4, "bus:test-1:9", "junk"));
  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("4")), kExitFailed);
  EXPECT_EQ(err(),
            "omnihubctl: dead letter 4 came from 'bus:test-1:9', which no parser reads (no re-parser for source "
            "'bus'): only dead letters from omnihub-email ('email:...') and omnihubctl inject ('inject:...') can be "
            "replayed\n");
  EXPECT_EQ(out(), "");
  EXPECT_TRUE(published_.empty());
}

TEST_F(DeadLetterCommandTest, AnSmsDeadLetterSaysWhyItIsNotReplayable) {
  hub_.Answer(DeadLetterPage(5, "sms:twilio:main", "Body=hi"));
  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("5")), kExitFailed);
  EXPECT_EQ(err(), std::string("omnihubctl: dead letter 5 came from 'sms:twilio:main', which cannot be replayed: ") +
                       kSmsNotReplayable + "\n");
  EXPECT_TRUE(published_.empty());
}

TEST_F(DeadLetterCommandTest, AStillUnreadableLineStaysADeadLetter) {
  hub_.Answer(DeadLetterPage(6, "inject:-:1", "{\"channel\": \"fax\"}"));
  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("6")), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("omnihubctl: dead letter 6 is still unreadable: "));
  EXPECT_THAT(err(), HasSubstr("(it stays a dead letter)\n"));
  EXPECT_TRUE(published_.empty());
}

TEST_F(DeadLetterCommandTest, AMissingDeadLetterIsNotFound) {
  hub_.Answer(DeadLetterPage(100, "inject:-:1", kLine));  // the next one there is
  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("99")), kExitNotFound);
  EXPECT_EQ(err(), "omnihubctl: no dead letter 99 (omnihubctl deadletter list shows them)\n");
  EXPECT_EQ(Run(RunDeadLetterCommand, ReplayArgs("abc")), kExitUsage);
  EXPECT_EQ(hub_.requests.size(), 1u);
}

TEST_F(DeadLetterCommandTest, ReplayGivesUpAfterItsTimeoutWhenNothingCommits) {
  acks_on_wait_ = 0;
  hub_.Answer(DeadLetterPage(3, "inject:events.jsonl:12", kLine));
  std::vector<std::string> args = ReplayArgs("3");
  args.insert(args.end(), {"--timeout", "5"});
  EXPECT_EQ(Run(RunDeadLetterCommand, args), kExitUnavailable);
  EXPECT_EQ(err(),
            "replay: waiting for the unifier at ipc://test/ingest.sock to commit (0 of 1 acknowledged; is "
            "omnihub-unifier running?)\n"
            "omnihubctl: gave up waiting after 5 s; the event is safe in the replay outbox and is delivered by the "
            "next replay\n");
  EXPECT_EQ(out(), "");
  EXPECT_EQ(published_.size(), 1u);
}

}  // namespace
}  // namespace omnihub::ctl
