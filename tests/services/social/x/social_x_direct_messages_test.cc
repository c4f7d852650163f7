#include "services/social/x/x_direct_messages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/services/social/x/x_test_fixture.h"

namespace omnihub::social {
namespace {

using ::testing::ElementsAre;
using XDirectMessagesTest = XMapperTest;

// channel-formats.md section 7's example delivery.
constexpr std::string_view kInboundDm = R"({"for_user_id":"2244994945",
 "direct_message_events":[{"type":"message_create","id":"1760000000000000001","created_timestamp":"1718000000123",
   "message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"3805104374",
     "message_data":{"text":"Hi, my refund?","entities":{"hashtags":[],"symbols":[],"urls":[],"user_mentions":[]}}}}],
 "users":{"3805104374":{"id":"3805104374","name":"Ana","screen_name":"ana_k"},
          "2244994945":{"id":"2244994945","name":"Acme Support","screen_name":"AcmeHelp"}}})";

const std::string kUsers = R"("users":{"3805104374":{"id":"3805104374","name":"Ana","screen_name":"ana_k"},
  "2244994945":{"id":"2244994945","name":"Acme Support","screen_name":"AcmeHelp"}})";

TEST_F(XDirectMessagesTest, CustomersDmIsInboundToTheAccount) {
  MappedDelivery events = Events(kInboundDm);
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.provider_message_id(), "1760000000000000001");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'123'000);
  ExpectUser(e.sender(), kAnaId, "@ana_k", "Ana");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectUser(e.recipients(0), kAcmeId, "@AcmeHelp", "Acme Support");
  EXPECT_EQ(e.conversation(), "x:dm:2244994945:3805104374");
  EXPECT_EQ(e.text(), "Hi, my refund?");
  EXPECT_EQ(e.flags_size(), 0);
  EXPECT_EQ(e.provider_fields().at("entities"), R"({"hashtags":[],"symbols":[],"urls":[],"user_mentions":[]})");
  EXPECT_EQ(e.provider_fields_size(), 2);
  EXPECT_EQ(events[0].raw_json, Dump((*ParseBody(kInboundDm))["direct_message_events"][0]));
}

TEST_F(XDirectMessagesTest, AccountsOwnDmIsAnOutboundEchoToTheCustomer) {
  v1::Event e = One(XDeliveryWith(R"("direct_message_events":[{"type":"message_create","id":"1760000000000000002",
    "created_timestamp":"1718000060000","message_create":{"target":{"recipient_id":"3805104374"},"sender_id":"2244994945",
    "source_app_id":"268278","message_data":{"text":"Refund sent today."}}}],)" + kUsers));
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectUser(e.recipients(0), kAnaId, "@ana_k", "Ana");
  EXPECT_EQ(e.conversation(), "x:dm:2244994945:3805104374");
  EXPECT_THAT(e.flags(), ElementsAre(kEchoFlag));
  EXPECT_EQ(e.provider_fields().at("source_app_id"), "268278");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'060'000'000);
}

TEST_F(XDirectMessagesTest, MediaAndQuickReplyAreKept) {
  v1::Event e = One(XDeliveryWith(R"("direct_message_events":[{"type":"message_create","id":"17","created_timestamp":"1718000000000",
    "message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"3805104374","message_data":{"text":"this one https://t.co/x",
      "quick_reply_response":{"type":"options","metadata":"order-42"},
      "attachment":{"type":"media","media":{"id_str":"99","type":"photo","media_url_https":"https://ton.twitter.com/1.1/ton/data/dm/17/99/a.jpg"}}}}}])"));
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).storage_ref(), "https://ton.twitter.com/1.1/ton/data/dm/17/99/a.jpg");
  EXPECT_EQ(e.attachments(0).media_type(), "image/*");
  EXPECT_EQ(e.provider_fields().at("quick_reply_response"), R"({"metadata":"order-42","type":"options"})");
  // Without a users map the customer has no handle.
  ExpectUser(e.sender(), kAnaId);
}

TEST_F(XDirectMessagesTest, VideoAndGifAttachmentsAreVideos) {
  for (std::string_view type : {"video", "animated_gif"}) {
    v1::Event e = One(XDeliveryWith(R"("direct_message_events":[{"type":"message_create","id":"18",
      "message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"3805104374","message_data":{"text":"",
        "attachment":{"type":"media","media":{"type":")" + std::string(type) + R"(","media_url_https":"https://pbs.twimg.com/v.jpg"}}}}}])"));
    ASSERT_EQ(e.attachments_size(), 1) << type;
    EXPECT_EQ(e.attachments(0).media_type(), "video/*") << type;
    // No created_timestamp: the receive time, flagged.
    EXPECT_EQ(e.occurred_at_us(), kXReceivedUs);
    EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag));
  }
}

TEST_F(XDirectMessagesTest, OtherDmEventTypesAreActivities) {
  v1::Event e = One(XDeliveryWith(R"("direct_message_events":[{"type":"welcome_message_rule","id":"55","created_timestamp":"1718000000000"}])"));
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "welcome_message_rule");
  EXPECT_EQ(e.provider_message_id(), "55");
  ExpectAccountItself(e.sender());
  EXPECT_THAT(e.flags(), ElementsAre(kBusinessPartyFlag));
}

TEST_F(XDirectMessagesTest, MissingFieldsAreRefusedNamingTheirPath) {
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_events":[{"id":"1"}])")), "direct_message_events[0].type is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_events":[{"type":"message_create","message_create":{}}])")),
            "direct_message_events[0].id is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_events":[{"type":"message_create","id":"1"}])")),
            "direct_message_events[0].message_create is missing");
  EXPECT_EQ(Error(XDeliveryWith(
                R"("direct_message_events":[{"type":"message_create","id":"1","message_create":{"target":{"recipient_id":"2"}}}])")),
            "direct_message_events[0].message_create.sender_id is missing");
  EXPECT_EQ(Error(XDeliveryWith(
                R"("direct_message_events":[{"type":"message_create","id":"1","message_create":{"sender_id":"3","target":{}}}])")),
            "direct_message_events[0].message_create.target.recipient_id is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_events":{"type":"message_create"})")),
            "direct_message_events must be a JSON array");
}

}  // namespace
}  // namespace omnihub::social
