#include "common/event/event_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace omnihub::event {
namespace {

using ::testing::HasSubstr;

class EventValidationTest : public ::testing::Test {
 protected:
  event::IdentityNormalizer normalizer_{"US"};

  // A valid inbound event with un-normalized identities.
  static v1::Event Valid() {
    v1::Event e;
    e.set_event_id(std::string(16, '\x01'));
    e.set_channel(v1::SMS);
    e.set_account("+14155550000");
    e.set_kind(v1::MESSAGE);
    e.set_direction(v1::INBOUND);
    e.set_provider_message_id("SM123");
    e.set_occurred_at_us(1'795'428'000'000'000);
    e.mutable_sender()->set_kind(v1::Identity::PHONE);
    e.mutable_sender()->set_value("whatsapp:(415) 555-0100");
    v1::Identity* to = e.add_recipients();
    to->set_kind(v1::Identity::EMAIL);
    to->set_value("Support <Support@Shop.Example>");
    e.set_text("hi");
    return e;
  }

  std::string Error(v1::Event e) {
    base::Status s = event::ValidateAndNormalizeEvent(&e, normalizer_);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    return s.message();
  }
};

TEST_F(EventValidationTest, AcceptsValidEventAndNormalizesIdentitiesInPlace) {
  v1::Event e = Valid();
  ASSERT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
  EXPECT_EQ(e.sender().value(), "+14155550100");
  EXPECT_EQ(e.recipients(0).value(), "support@shop.example");
  EXPECT_EQ(e.recipients(0).display_name(), "Support");
  // Validating again changes nothing.
  const std::string once = e.SerializeAsString();
  ASSERT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
  EXPECT_EQ(e.SerializeAsString(), once);
}

TEST_F(EventValidationTest, ExternalPartyIsSenderForInboundAndFirstRecipientForOutbound) {
  v1::Event e = Valid();
  ASSERT_NE(event::ExternalParty(e), nullptr);
  EXPECT_EQ(event::ExternalParty(e), &e.sender());
  e.set_direction(v1::OUTBOUND);
  EXPECT_EQ(event::ExternalParty(e), &e.recipients(0));
  e.clear_recipients();
  EXPECT_EQ(event::ExternalParty(e), nullptr);
  e.set_direction(v1::INBOUND);
  e.clear_sender();
  EXPECT_EQ(event::ExternalParty(e), nullptr);
  e = Valid();
  e.set_direction(v1::DIRECTION_UNSPECIFIED);
  EXPECT_EQ(event::ExternalParty(e), nullptr);
}

TEST_F(EventValidationTest, RejectsEventIdThatIsNot16Bytes) {
  v1::Event e = Valid();
  e.set_event_id("short");
  EXPECT_EQ(Error(e), "field 'event_id' must be 16 bytes, got 5");
  e.clear_event_id();
  EXPECT_THAT(Error(e), HasSubstr("event_id"));
}

TEST_F(EventValidationTest, RejectsUnspecifiedOrUnknownEnums) {
  v1::Event e = Valid();
  e.set_channel(v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(Error(e), "field 'channel' is unspecified or unknown");
  e = Valid();
  e.set_channel(static_cast<v1::Channel>(77));
  EXPECT_EQ(Error(e), "field 'channel' is unspecified or unknown");
  e = Valid();
  e.set_direction(v1::DIRECTION_UNSPECIFIED);
  EXPECT_EQ(Error(e), "field 'direction' is unspecified or unknown");
  e = Valid();
  e.set_kind(v1::EVENT_KIND_UNSPECIFIED);
  EXPECT_EQ(Error(e), "field 'kind' is unspecified or unknown");
}

TEST_F(EventValidationTest, RejectsNonPositiveOccurredAt) {
  v1::Event e = Valid();
  e.set_occurred_at_us(0);
  EXPECT_THAT(Error(e), HasSubstr("field 'occurred_at_us'"));
  e.set_occurred_at_us(-1);
  EXPECT_THAT(Error(e), HasSubstr("field 'occurred_at_us'"));
}

TEST_F(EventValidationTest, RejectsEmptyAccount) {
  v1::Event e = Valid();
  e.clear_account();
  EXPECT_EQ(Error(e), "field 'account' must not be empty");
}

TEST_F(EventValidationTest, RejectsMissingExternalParty) {
  v1::Event e = Valid();
  e.clear_sender();
  EXPECT_THAT(Error(e), HasSubstr("field 'sender' is missing"));
  e = Valid();
  e.set_direction(v1::OUTBOUND);
  e.clear_recipients();
  EXPECT_THAT(Error(e), HasSubstr("field 'recipients' is empty"));
}

TEST_F(EventValidationTest, RejectsIdentityThatFailsNormalization) {
  v1::Event e = Valid();
  e.mutable_sender()->set_value("12");
  EXPECT_THAT(Error(e), HasSubstr("field 'sender': invalid phone number '12'"));
  e = Valid();
  e.add_recipients()->set_value("jane@example.com");  // kind unspecified
  EXPECT_THAT(Error(e), HasSubstr("field 'recipients[1]': identity kind is unspecified"));
}

TEST_F(EventValidationTest, RejectsTextFieldsThatAreNotUtf8) {
  const std::string bad = "ok\xc3(";
  for (const char* field : {"text", "subject", "html", "conversation", "full_text", "provider_message_id",
                            "refers_to_provider_message_id"}) {
    v1::Event e = Valid();
    const std::string name = field;
    if (name == "text") e.set_text(bad);
    if (name == "subject") e.set_subject(bad);
    if (name == "html") e.set_html(bad);
    if (name == "conversation") e.set_conversation(bad);
    if (name == "full_text") e.set_full_text(bad);
    if (name == "provider_message_id") e.set_provider_message_id(bad);
    if (name == "refers_to_provider_message_id") e.set_refers_to_provider_message_id(bad);
    EXPECT_EQ(Error(e), "field '" + name + "' is not valid UTF-8 (bad byte at offset 2)");
  }
  v1::Event e = Valid();
  e.add_flags("fine");
  e.add_flags(bad);
  EXPECT_THAT(Error(e), HasSubstr("field 'flags[1]' is not valid UTF-8"));
  e = Valid();
  e.add_attachments()->set_name(bad);
  EXPECT_THAT(Error(e), HasSubstr("field 'attachments[0].name' is not valid UTF-8"));
  e = Valid();
  e.set_account(bad);
  EXPECT_THAT(Error(e), HasSubstr("field 'account' is not valid UTF-8"));
}

TEST_F(EventValidationTest, RejectsAttachmentHashOfWrongSize) {
  v1::Event e = Valid();
  e.add_attachments()->set_sha256(std::string(31, 'x'));
  EXPECT_EQ(Error(e), "field 'attachments[0].sha256' must be 32 bytes or empty, got 31");
  e = Valid();
  e.add_attachments()->set_sha256(std::string(32, 'x'));
  EXPECT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
}

TEST_F(EventValidationTest, DeliveryStatusStateIsRequiredAndLowerCased) {
  v1::Event e = Valid();
  e.set_kind(v1::STATUS);
  e.set_refers_to_provider_message_id("SM1");
  e.mutable_delivery_status()->set_state(" Delivered ");
  e.mutable_delivery_status()->set_stage(50);
  ASSERT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
  EXPECT_EQ(e.delivery_status().state(), "delivered");

  e.mutable_delivery_status()->set_state("  ");
  EXPECT_EQ(Error(e), "field 'delivery_status.state' must not be empty");
  e.mutable_delivery_status()->set_state("sent");
  e.mutable_delivery_status()->set_stage(-1);
  EXPECT_EQ(Error(e), "field 'delivery_status.stage' must not be negative");
}

TEST_F(EventValidationTest, DeliveryStatusOnlyOnStatusEvents) {
  v1::Event e = Valid();
  e.mutable_delivery_status()->set_state("sent");
  EXPECT_EQ(Error(e), "field 'delivery_status' is only for status events");
}

TEST_F(EventValidationTest, WatermarkNamesAConversationAndNoMessage) {
  v1::Event e = Valid();
  e.set_kind(v1::STATUS);
  e.set_conversation("t_1");
  e.mutable_delivery_status()->set_state("read");
  e.mutable_delivery_status()->set_watermark_us(1'795'428'000'000'000);
  EXPECT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());

  v1::Event named = e;
  named.set_refers_to_provider_message_id("m_1");
  EXPECT_EQ(Error(named),
            "field 'refers_to_provider_message_id' must be empty on a watermark status (delivery_status.watermark_us)");
  v1::Event alone = e;
  alone.clear_conversation();
  EXPECT_EQ(Error(alone), "field 'conversation' is empty (a watermark status covers the messages of its conversation)");
  e.mutable_delivery_status()->set_watermark_us(-1);
  EXPECT_EQ(Error(e), "field 'delivery_status.watermark_us' must not be negative");
  // Only statuses have a delivery_status, and so a watermark.
  v1::Event message = Valid();
  message.mutable_delivery_status()->set_state("read");
  message.mutable_delivery_status()->set_watermark_us(1);
  EXPECT_EQ(Error(message), "field 'delivery_status' is only for status events");
}

TEST_F(EventValidationTest, ReactionOnlyOnReactionEventsAndActivityOnlyOnActivityEvents) {
  v1::Event reaction = Valid();
  reaction.set_kind(v1::REACTION);
  reaction.set_refers_to_provider_message_id("SM1");
  reaction.mutable_reaction()->set_emoji("\u2764\ufe0f");
  EXPECT_TRUE(event::ValidateAndNormalizeEvent(&reaction, normalizer_).ok());
  v1::Event message = Valid();
  message.mutable_reaction()->set_emoji("x");
  EXPECT_EQ(Error(message), "field 'reaction' is only for reaction events");
  reaction.mutable_reaction()->set_name("bad\xc3(");
  EXPECT_EQ(Error(reaction), "field 'reaction.name' is not valid UTF-8 (bad byte at offset 3)");

  v1::Event activity = Valid();
  activity.set_kind(v1::ACTIVITY);
  activity.set_activity("typing");
  EXPECT_TRUE(event::ValidateAndNormalizeEvent(&activity, normalizer_).ok());
  message = Valid();
  message.set_activity("typing");
  EXPECT_EQ(Error(message), "field 'activity' is only for activity events");
}

TEST_F(EventValidationTest, EditDeleteAndReactionNameTheirMessage) {
  for (v1::EventKind kind : {v1::EDIT, v1::DELETE, v1::REACTION}) {
    v1::Event e = Valid();
    e.set_kind(kind);
    EXPECT_EQ(Error(e), "field 'refers_to_provider_message_id' is empty (edit, delete and reaction events name the "
                        "message they change)")
        << v1::EventKind_Name(kind);
    e.set_refers_to_provider_message_id("SM1");
    EXPECT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok()) << v1::EventKind_Name(kind);
  }
}

TEST_F(EventValidationTest, RejectsDeliveryStatusAndProviderFieldsThatAreNotUtf8) {
  const std::string bad = "ok\xc3(";
  v1::Event status = Valid();
  status.set_kind(v1::STATUS);
  status.mutable_delivery_status()->set_state("failed");
  v1::Event e = status;
  e.mutable_delivery_status()->set_detail(bad);
  EXPECT_EQ(Error(e), "field 'delivery_status.detail' is not valid UTF-8 (bad byte at offset 2)");
  e = status;
  e.mutable_delivery_status()->set_error_code(bad);
  EXPECT_THAT(Error(e), HasSubstr("field 'delivery_status.error_code' is not valid UTF-8"));
  e = Valid();
  (*e.mutable_provider_fields())["FromCity"] = bad;
  EXPECT_EQ(Error(e), "field 'provider_fields['FromCity']' is not valid UTF-8 (bad byte at offset 2)");
  e = Valid();
  (*e.mutable_provider_fields())[bad] = "x";
  EXPECT_THAT(Error(e), HasSubstr("field 'provider_fields key' is not valid UTF-8"));
  e = Valid();
  (*e.mutable_provider_fields())["NumSegments"] = "2";
  EXPECT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
}

TEST_F(EventValidationTest, PartyLinksAreNormalizedInPlace) {
  v1::Event e = Valid();
  v1::IdentityLink* link = e.add_party_links();
  link->mutable_identity()->set_kind(v1::Identity::PLATFORM);
  link->mutable_identity()->set_platform(" WhatsApp ");
  link->mutable_identity()->set_account("102290129340398");
  link->mutable_identity()->set_value("US.13491208655302741918");
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  ASSERT_TRUE(event::ValidateAndNormalizeEvent(&e, normalizer_).ok());
  EXPECT_EQ(e.party_links(0).identity().platform(), "whatsapp");
  EXPECT_EQ(e.party_links(0).identity().value(), "US.13491208655302741918");
  EXPECT_EQ(e.party_links(0).reason(), "whatsapp: one message carried both wa_id and user_id");
}

TEST_F(EventValidationTest, RejectsPartyLinkThatIsMissingOrFailsNormalizationOrIsNotUtf8) {
  v1::Event e = Valid();
  e.add_party_links()->set_reason("telegram: contact shared by its owner");
  EXPECT_EQ(Error(e), "field 'party_links[0].identity' is missing");

  e = Valid();
  v1::Identity* phone = e.add_party_links()->mutable_identity();
  phone->set_kind(v1::Identity::PHONE);
  phone->set_value("+1650555");
  EXPECT_EQ(Error(e), "field 'party_links[0].identity': invalid phone number '+1650555' (default region US): too short");

  e = Valid();
  v1::IdentityLink* link = e.add_party_links();
  link->mutable_identity()->set_kind(v1::Identity::PHONE);
  link->mutable_identity()->set_value("+16505551234");
  link->set_reason("ok\xc3(");
  EXPECT_EQ(Error(e), "field 'party_links[0].reason' is not valid UTF-8 (bad byte at offset 2)");
}

}  // namespace
}  // namespace omnihub::event
