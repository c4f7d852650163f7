// Replay's core: a dead letter's kept bytes and envelope are read again with the re-parser
// registered for its source; what is still unreadable stays a dead letter, with the
// parser's reason, and a source without a re-parser is named.
#include "services/ctl/reparsers.h"
#include "services/email/email_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/email/parse/email_reader.h"

namespace omnihub::ctl {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kReadable[] =
    "From: Ana <ana@example.net>\r\nTo: support@example.com\r\nSubject: Refund\r\n"
    "Message-ID: <refund-7@example.net>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease refund.\r\n";

class DeadLetterRebuildTest : public ::testing::Test {
 protected:
  v1::DeadLetterEntry EmailDeadLetter(std::string raw, const email::EmailSource& envelope) {
    v1::DeadLetterEntry dl;
    dl.set_dead_letter_id(7);
    dl.set_source("email:smtp:127.0.0.1:40000");
    dl.set_raw(std::move(raw));
    email::StoreEnvelope(envelope, dl.mutable_context());
    return dl;
  }
  DeadLetterRebuildTest() {
    static const config::Section* const kSections[] = {&email::EmailConfigSection()};
    auto config = config::ParseConfig("", "test.toml", kSections);  // [email] with its defaults
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    if (config.ok()) RegisterReparsers(*config, &registry_);
  }

  base::Result<v1::Event> Rebuild(const v1::DeadLetterEntry& dl) {
    auto rebuilt = registry_.Rebuild(dl, RebuildContext{normalizer_, ids_, clock_});
    if (!rebuilt.ok()) return rebuilt.status();
    return std::move(rebuilt->event);
  }

  ReparserRegistry registry_;

  event::IdentityNormalizer normalizer_{"US"};
  base::ManualClock clock_;
  base::SeededRandom random_{1};
  base::UuidV7Generator ids_{clock_, random_};
};

TEST_F(DeadLetterRebuildTest, EnvelopeRoundTripsThroughTheContext) {
  email::EmailSource in{"bounce@example.net", {"billing@example.com", "sales@example.com"}};
  v1::DeadLetterEntry dl = EmailDeadLetter("x", in);
  const email::EmailSource out = email::LoadEnvelope(dl.context());
  EXPECT_EQ(out.mail_from, in.mail_from);
  EXPECT_EQ(out.recipients, in.recipients);
  EXPECT_TRUE(email::LoadEnvelope({}).recipients.empty());
}

TEST_F(DeadLetterRebuildTest, ReadableEmailBecomesAFlaggedEventForTheEnvelopeRecipient) {
  auto e = Rebuild(EmailDeadLetter(kReadable, {"ana@example.net", {"billing@example.com"}}));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->provider_message_id(), "refund-7@example.net");
  EXPECT_EQ(e->account(), "billing@example.com");
  EXPECT_EQ(e->subject(), "Refund");
  EXPECT_THAT(e->flags(), Contains(kFlagReplayed));
}

TEST_F(DeadLetterRebuildTest, StillUnreadableEmailNamesTheParsersReason) {
  auto e = Rebuild(EmailDeadLetter(std::string("\x01\x02\x00\xff junk", 10), {}));
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.status().message(), HasSubstr("dead letter 7 is still unreadable"));
  EXPECT_THAT(e.status().message(), HasSubstr("not a mail message"));
}

TEST_F(DeadLetterRebuildTest, RejectedInjectLineIsParsedAgain) {
  v1::DeadLetterEntry dl;
  dl.set_dead_letter_id(3);
  dl.set_source("inject:events.jsonl:12");
  dl.set_raw(R"({"channel":"sms","account":"+12025550000","direction":"inbound","provider_message_id":"SM9",)"
             R"("occurred_at":"2026-11-20T10:00:00Z","from":{"phone":"+14155550100"},"text":"hi"})");
  auto e = Rebuild(dl);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->provider_message_id(), "SM9");
  dl.set_raw("{\"channel\": \"fax\"}");
  EXPECT_THAT(Rebuild(dl).status().message(), HasSubstr("still unreadable"));
}

TEST_F(DeadLetterRebuildTest, BusFramesNoAdapterSentAreRefused) {
  v1::DeadLetterEntry dl;
  dl.set_dead_letter_id(4);
  dl.set_source("bus:test-1:9");
  dl.set_raw("junk");
  auto e = Rebuild(dl);
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.status().message(), HasSubstr("no parser reads"));
  EXPECT_THAT(e.status().message(), HasSubstr("no re-parser for source 'bus'"));
  EXPECT_THAT(e.status().message(), HasSubstr("omnihub-email ('email:...')"));
  EXPECT_THAT(e.status().message(), HasSubstr("omnihubctl inject ('inject:...')"));
}

TEST_F(DeadLetterRebuildTest, SmsDeadLettersAreNotReplayableAndSaySo) {
  v1::DeadLetterEntry dl;
  dl.set_dead_letter_id(5);
  dl.set_source("sms:twilio:main");
  dl.set_raw("From=%2B14155550100");
  auto e = Rebuild(dl);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            std::string("dead letter 5 came from 'sms:twilio:main', which cannot be replayed: ") + kSmsNotReplayable);
}

TEST_F(DeadLetterRebuildTest, ARegisteredReparserIsPickedBySourceNameAndItsEventFlagged) {
  ReparserRegistry registry;
  std::string seen;
  registry.Register("social", "omnihub-social", [&seen](const v1::DeadLetterEntry& dl, const RebuildContext&) {
    seen = dl.raw();
    v1::Event event;
    event.set_provider_message_id("post-1");
    return base::Result<RebuiltEvent>(RebuiltEvent{std::move(event), {}});
  });
  v1::DeadLetterEntry dl;
  dl.set_source("social:x:acct");
  dl.set_raw("kept");
  auto rebuilt = registry.Rebuild(dl, RebuildContext{normalizer_, ids_, clock_});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(seen, "kept");
  EXPECT_EQ(rebuilt->event.provider_message_id(), "post-1");
  EXPECT_THAT(rebuilt->event.flags(), Contains(kFlagReplayed));
  // A source without ':' is its own name; "socialite" is not "social".
  dl.set_source("socialite");
  EXPECT_THAT(registry.Rebuild(dl, RebuildContext{normalizer_, ids_, clock_}).status().message(),
              HasSubstr("no re-parser for source 'socialite'"));
}

TEST(SourceNameTest, IsThePartBeforeTheFirstColon) {
  EXPECT_EQ(SourceName("email:smtp:127.0.0.1:25"), "email");
  EXPECT_EQ(SourceName("inject:-:3"), "inject");
  EXPECT_EQ(SourceName("bus"), "bus");
  EXPECT_EQ(SourceName(""), "");
}

}  // namespace
}  // namespace omnihub::ctl
