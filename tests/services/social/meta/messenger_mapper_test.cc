#include "services/social/meta/messenger_mapper.h"

#include <gtest/gtest.h>

#include "common/event/delivery_stage.h"
#include "services/social/meta/messenger_element.h"
#include "tests/services/social/meta/meta_test_support.h"

namespace omnihub::social {
namespace {

constexpr char kPage[] = "104000000000001";

// A page (or Instagram) delivery of one entry holding `elements` under `key`.
std::string Delivery(std::string_view elements, std::string_view object = "page", std::string_view key = "messaging") {
  return std::string(R"({"object":")") + std::string(object) +
         R"(","entry":[{"id":"104000000000001","time":1718000000200,")" + std::string(key) + R"(":[)" +
         std::string(elements) + "]}]}";
}

// channel-formats section 5.3's message.
constexpr char kMessage[] =
    R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000123,)"
    R"("message":{"mid":"m_AbC123","text":"Is my parcel lost?","quick_reply":{"payload":"TRACK_ORDER"},)"
    R"("reply_to":{"mid":"m_PrEv456"},"attachments":[{"type":"image","payload":{"url":"https://lookaside.example/i.jpg"}}]}})";

class MessengerMapperTest : public MetaMapperTest {
 protected:
  // The one event of a delivery of one element.
  v1::Event One(std::string_view element, std::string_view object = "page") {
    MappedDelivery d = MapOk(Delivery(element, object));
    EXPECT_EQ(d.size(), 1u);
    return d.empty() ? v1::Event() : d[0].event;
  }
};

TEST_F(MessengerMapperTest, MessageWithTextImageQuickReplyAndReplyTo) {
  MappedDelivery d = MapOk(Delivery(kMessage));
  ASSERT_EQ(d.size(), 1u);
  const v1::Event& e = d[0].event;
  EXPECT_EQ(e.channel(), v1::MESSENGER);
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.account(), kPage);
  EXPECT_EQ(e.provider_message_id(), "m_AbC123");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'123'000);
  EXPECT_EQ(Arg(e.sender()), "messenger:104000000000001:6123450001");
  ASSERT_EQ(e.recipients_size(), 1);
  EXPECT_EQ(Arg(e.recipients(0)), "messenger:104000000000001:104000000000001");
  EXPECT_EQ(e.conversation(), "messenger:104000000000001:6123450001");
  EXPECT_EQ(e.text(), "Is my parcel lost?");
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).name(), "");
  EXPECT_EQ(e.attachments(0).media_type(), "image/*");
  EXPECT_EQ(e.attachments(0).storage_ref(), "https://lookaside.example/i.jpg");
  EXPECT_EQ(e.provider_fields().at("attachments[0].type"), "image");
  EXPECT_EQ(e.provider_fields().at("attachments[0].payload"), R"({"url":"https://lookaside.example/i.jpg"})");
  EXPECT_EQ(e.provider_fields().at("quick_reply.payload"), "TRACK_ORDER");
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "m_PrEv456");
  EXPECT_EQ(e.provider_fields().at(kAccountNameField), "main");
  EXPECT_EQ(e.provider_fields_size(), 5);
  EXPECT_EQ(e.flags_size(), 0);
  EXPECT_EQ(d[0].raw_json, Dump(Json::parse(kMessage)));
}

TEST_F(MessengerMapperTest, AttachmentNamesAndMediaClasses) {
  const v1::Event e = One(
      R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000123,"message":{"mid":"m_2","attachments":[)"
      R"({"type":"file","payload":{"url":"https://x.example/f","title":"invoice.pdf"}},)"
      R"({"type":"video","payload":{"url":"https://x.example/v","filename":"clip.mp4"}},)"
      R"({"type":"audio","payload":{"url":"https://x.example/a"}},)"
      R"({"type":"fallback","title":"A shared link","url":"https://news.example/story"}]}})");
  ASSERT_EQ(e.attachments_size(), 4);
  EXPECT_EQ(e.attachments(0).name(), "invoice.pdf");
  EXPECT_EQ(e.attachments(0).media_type(), "");
  EXPECT_EQ(e.attachments(1).name(), "clip.mp4");
  EXPECT_EQ(e.attachments(1).media_type(), "video/*");
  EXPECT_EQ(e.attachments(2).media_type(), "audio/*");
  EXPECT_EQ(e.attachments(3).name(), "A shared link");
  EXPECT_EQ(e.attachments(3).storage_ref(), "https://news.example/story");
  EXPECT_EQ(e.provider_fields().at("attachments[3].type"), "fallback");
  EXPECT_EQ(e.provider_fields().count("attachments[3].payload"), 0u);
  EXPECT_EQ(e.text(), "");
}

TEST_F(MessengerMapperTest, EchoIsOutboundFromThePage) {
  const v1::Event e = One(
      R"({"sender":{"id":"104000000000001"},"recipient":{"id":"6123450001"},"timestamp":1718000000500,)"
      R"("message":{"mid":"m_EcHo1","is_echo":true,"app_id":1517776481860111,"metadata":"agent-7","text":"It is on its way"}})");
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  EXPECT_EQ(e.provider_message_id(), "m_EcHo1");
  EXPECT_EQ(Arg(e.sender()), "messenger:104000000000001:104000000000001");
  ASSERT_EQ(e.recipients_size(), 1);
  EXPECT_EQ(Arg(e.recipients(0)), "messenger:104000000000001:6123450001");
  EXPECT_EQ(e.conversation(), "messenger:104000000000001:6123450001");
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kEchoFlag);
  EXPECT_EQ(e.provider_fields().at("app_id"), "1517776481860111");
  EXPECT_EQ(e.provider_fields().at("metadata"), "agent-7");
  EXPECT_EQ(e.text(), "It is on its way");
}

TEST_F(MessengerMapperTest, ReactionAndItsRemoval) {
  const v1::Event react =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000600,)"
          R"("reaction":{"mid":"m_AbC123","action":"react","reaction":"love","emoji":"\u2764\ufe0f"}})");
  EXPECT_EQ(react.kind(), v1::REACTION);
  EXPECT_EQ(react.direction(), v1::INBOUND);
  EXPECT_EQ(react.refers_to_provider_message_id(), "m_AbC123");
  EXPECT_EQ(react.reaction().emoji(), "\u2764\ufe0f");
  EXPECT_EQ(react.reaction().name(), "love");
  EXPECT_FALSE(react.reaction().removed());
  EXPECT_EQ(react.provider_message_id(), "reaction:m_AbC123:6123450001:react:1718000000600");
  EXPECT_EQ(Arg(react.sender()), "messenger:104000000000001:6123450001");

  const v1::Event unreact =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000700,)"
          R"("reaction":{"mid":"m_AbC123","action":"unreact","reaction":"love","emoji":"\u2764\ufe0f"}})");
  EXPECT_EQ(unreact.kind(), v1::REACTION);
  EXPECT_TRUE(unreact.reaction().removed());
  EXPECT_EQ(unreact.provider_message_id(), "reaction:m_AbC123:6123450001:unreact:1718000000700");
}

TEST_F(MessengerMapperTest, EditNamesTheMessageAndItsEditNumber) {
  const v1::Event e =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000800,)"
          R"("message_edit":{"mid":"m_AbC123","text":"Is my parcel lost? Order 1234","num_edit":2}})");
  EXPECT_EQ(e.kind(), v1::EDIT);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.refers_to_provider_message_id(), "m_AbC123");
  EXPECT_EQ(e.text(), "Is my parcel lost? Order 1234");
  EXPECT_EQ(e.provider_fields().at("num_edit"), "2");
  EXPECT_EQ(e.provider_message_id(), "edit:m_AbC123:2");
}

TEST_F(MessengerMapperTest, PostbackIsAMessageWithItsTitleAndPayload) {
  const v1::Event e =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000900,)"
          R"("postback":{"mid":"m_PoSt1","title":"Track order","payload":"TRACK"}})");
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.text(), "Track order");
  EXPECT_EQ(e.provider_fields().at("postback.payload"), "TRACK");
  EXPECT_EQ(e.provider_message_id(), "m_PoSt1");
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kPostbackFlag);

  const v1::Event without_mid =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000000901,)"
          R"("postback":{"title":"Get started","payload":"START","referral":{"ref":"ad-7","source":"ADS"}}})");
  EXPECT_EQ(without_mid.provider_message_id(), "postback:6123450001:1718000000901");
  EXPECT_EQ(without_mid.provider_fields().at("postback.referral"), R"({"ref":"ad-7","source":"ADS"})");
}

TEST_F(MessengerMapperTest, DeliveryWithMidsIsAWatermarkStatusAndOneStatusPerMessage) {
  MappedDelivery d =
      MapOk(Delivery(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000001000,)"
                     R"("delivery":{"mids":["m_OuT1","m_OuT2"],"watermark":1718000000200}})"));
  ASSERT_EQ(d.size(), 3u);
  for (const auto& m : d) {
    const v1::Event& e = m.event;
    EXPECT_EQ(e.kind(), v1::STATUS);
    EXPECT_EQ(e.direction(), v1::OUTBOUND);
    EXPECT_EQ(Arg(e.sender()), "messenger:104000000000001:104000000000001");
    ASSERT_EQ(e.recipients_size(), 1);
    EXPECT_EQ(Arg(e.recipients(0)), "messenger:104000000000001:6123450001");
    EXPECT_EQ(e.conversation(), "messenger:104000000000001:6123450001");
    EXPECT_EQ(e.delivery_status().state(), "delivered");
    EXPECT_EQ(e.delivery_status().stage(), event::kStageFinal);
    EXPECT_EQ(e.occurred_at_us(), 1'718'000'001'000'000);
  }
  EXPECT_EQ(d[0].event.provider_message_id(), "delivered:6123450001:1718000000200");
  EXPECT_EQ(d[0].event.delivery_status().watermark_us(), 1'718'000'000'200'000);
  EXPECT_EQ(d[0].event.refers_to_provider_message_id(), "");
  EXPECT_EQ(d[1].event.provider_message_id(), "m_OuT1/delivered");
  EXPECT_EQ(d[1].event.refers_to_provider_message_id(), "m_OuT1");
  EXPECT_EQ(d[1].event.delivery_status().watermark_us(), 0);
  EXPECT_EQ(d[2].event.provider_message_id(), "m_OuT2/delivered");
  EXPECT_EQ(d[2].event.refers_to_provider_message_id(), "m_OuT2");
}

TEST_F(MessengerMapperTest, DeliveryWithoutMidsIsOnlyTheWatermark) {
  MappedDelivery d =
      MapOk(Delivery(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000001000,)"
                     R"("delivery":{"watermark":1718000000200}})"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].event.provider_message_id(), "delivered:6123450001:1718000000200");
}

TEST_F(MessengerMapperTest, ReadIsAWatermarkStatus) {
  const v1::Event e =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000001100,)"
          R"("read":{"watermark":1718000000300}})");
  EXPECT_EQ(e.kind(), v1::STATUS);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  EXPECT_EQ(e.delivery_status().state(), "read");
  EXPECT_EQ(e.delivery_status().stage(), event::kStageRead);
  EXPECT_EQ(e.delivery_status().watermark_us(), 1'718'000'000'300'000);
  EXPECT_EQ(e.refers_to_provider_message_id(), "");
  EXPECT_EQ(e.provider_message_id(), "read:6123450001:1718000000300");
  EXPECT_EQ(Arg(e.recipients(0)), "messenger:104000000000001:6123450001");
}

TEST_F(MessengerMapperTest, InstagramReaction) {
  const v1::Event e =
      One(R"({"sender":{"id":"17841400000000002"},"recipient":{"id":"104000000000001"},"timestamp":1718000002000,)"
          R"("reaction":{"mid":"aWdfZ","action":"react","reaction":"love","emoji":"\u2764"}})",
          "instagram");
  EXPECT_EQ(e.channel(), v1::INSTAGRAM);
  EXPECT_EQ(e.kind(), v1::REACTION);
  EXPECT_EQ(Arg(e.sender()), "instagram:104000000000001:17841400000000002");
  EXPECT_EQ(e.conversation(), "instagram:104000000000001:17841400000000002");
  EXPECT_EQ(e.refers_to_provider_message_id(), "aWdfZ");
  EXPECT_EQ(e.provider_message_id(), "reaction:aWdfZ:17841400000000002:react:1718000002000");
}

TEST_F(MessengerMapperTest, InstagramUnsendIsADelete) {
  constexpr char kUnsend[] =
      R"({"sender":{"id":"17841400000000002"},"recipient":{"id":"104000000000001"},"timestamp":1718000002100,)"
      R"("message":{"mid":"aWdfZ","is_deleted":true}})";
  const v1::Event e = One(kUnsend, "instagram");
  EXPECT_EQ(e.kind(), v1::DELETE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.refers_to_provider_message_id(), "aWdfZ");
  EXPECT_EQ(e.provider_message_id(), "delete:aWdfZ");
  EXPECT_EQ(e.flags_size(), 0);

  ctx_.keep_deleted_text = true;
  const v1::Event kept = One(kUnsend, "instagram");
  ASSERT_EQ(kept.flags_size(), 1);
  EXPECT_EQ(kept.flags(0), kKeepDeletedTextFlag);
}

TEST_F(MessengerMapperTest, InstagramSeenNamingOneMessage) {
  MappedDelivery d = MapOk(
      Delivery(R"({"sender":{"id":"17841400000000002"},"recipient":{"id":"104000000000001"},"timestamp":1718000002200,)"
               R"("read":{"mid":"aWdfOuT"}})",
               "instagram"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].event.kind(), v1::STATUS);
  EXPECT_EQ(d[0].event.delivery_status().state(), "read");
  EXPECT_EQ(d[0].event.refers_to_provider_message_id(), "aWdfOuT");
  EXPECT_EQ(d[0].event.provider_message_id(), "aWdfOuT/read");
  EXPECT_EQ(d[0].event.delivery_status().watermark_us(), 0);
}

TEST_F(MessengerMapperTest, StandbyElementsAreReadLikeMessaging) {
  MappedDelivery d = MapOk(Delivery(kMessage, "page", "standby"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].event.kind(), v1::MESSAGE);
  ASSERT_EQ(d[0].event.flags_size(), 1);
  EXPECT_EQ(d[0].event.flags(0), kStandbyFlag);
}

TEST_F(MessengerMapperTest, MissingTimestampIsTheReceiveTimeWithAFlag) {
  const v1::Event e =
      One(R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"message":{"mid":"m_1"}})");
  EXPECT_EQ(e.occurred_at_us(), kReceivedUs);
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kTimeMissingFlag);
}

TEST_F(MessengerMapperTest, OtherElementsAreActivitiesOfTheCustomer) {
  constexpr char kReferral[] =
      R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000003000,)"
      R"("referral":{"ref":"summer","source":"SHORTLINK","type":"OPEN_THREAD"}})";
  MappedDelivery d = MapOk(Delivery(kReferral));
  ASSERT_EQ(d.size(), 1u);
  const v1::Event& e = d[0].event;
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.activity(), "referral");
  EXPECT_EQ(Arg(e.sender()), "messenger:104000000000001:6123450001");
  EXPECT_EQ(Arg(e.recipients(0)), "messenger:104000000000001:104000000000001");
  EXPECT_EQ(e.conversation(), "messenger:104000000000001:6123450001");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'003'000'000);
  EXPECT_EQ(d[0].raw_json, Dump(Json::parse(kReferral)));
  EXPECT_EQ(e.provider_message_id().substr(0, 9), "activity:");
  EXPECT_EQ(e.provider_message_id().size(), 9u + 64u);
  EXPECT_EQ(e.flags_size(), 0);
  // A retry of the same element is the same event.
  EXPECT_EQ(MapOk(Delivery(kReferral))[0].event.provider_message_id(), e.provider_message_id());

  const v1::Event unknown = One(
      R"({"sender":{"id":"6123450001"},"recipient":{"id":"104000000000001"},"timestamp":1718000003001,"brand_new_thing":{"x":1}})");
  EXPECT_EQ(unknown.activity(), "brand_new_thing");
}

TEST_F(MessengerMapperTest, AnActivityWithoutACustomerBelongsToTheBusiness) {
  const v1::Event e = One(
      R"({"recipient":{"id":"104000000000001"},"timestamp":1718000003100,"policy_enforcement":{"action":"block"}})");
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "policy_enforcement");
  EXPECT_EQ(Arg(e.sender()), "messenger:104000000000001:104000000000001");
  EXPECT_EQ(e.recipients_size(), 0);
  EXPECT_EQ(e.conversation(), "");
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kBusinessPartyFlag);
}

TEST_F(MessengerMapperTest, ChangesAreActivitiesOfTheCommenterOrTheBusiness) {
  MappedDelivery d = MapOk(
      R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1718000004,"changes":[)"
      R"({"field":"comments","value":{"id":"c1","text":"Love it","from":{"id":"17841400000000009","username":"jane"}}},)"
      R"({"field":"mentions","value":{"media_id":"m1","comment_id":"c2"}}]}]})");
  ASSERT_EQ(d.size(), 2u);
  const v1::Event& comment = d[0].event;
  EXPECT_EQ(comment.channel(), v1::INSTAGRAM);
  EXPECT_EQ(comment.kind(), v1::ACTIVITY);
  EXPECT_EQ(comment.activity(), "comments");
  EXPECT_EQ(comment.account(), "17841400000000001");
  EXPECT_EQ(Arg(comment.sender()), "instagram:17841400000000001:17841400000000009");
  EXPECT_EQ(comment.occurred_at_us(), 1'718'000'004'000'000);  // entry.time in seconds
  EXPECT_EQ(d[0].raw_json, R"({"from":{"id":"17841400000000009","username":"jane"},"id":"c1","text":"Love it"})");
  const v1::Event& mention = d[1].event;
  EXPECT_EQ(mention.activity(), "mentions");
  EXPECT_EQ(Arg(mention.sender()), "instagram:17841400000000001:17841400000000001");
  ASSERT_EQ(mention.flags_size(), 1);
  EXPECT_EQ(mention.flags(0), kBusinessPartyFlag);
  EXPECT_NE(comment.provider_message_id(), mention.provider_message_id());
}

TEST_F(MessengerMapperTest, RequiredFieldsAreNamedByTheirPath) {
  EXPECT_EQ(MapError(Delivery(R"({"recipient":{"id":"104000000000001"},"message":{"mid":"m_1"}})")),
            "entry[0].messaging[0].sender is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{},"recipient":{"id":"104000000000001"},"message":{"mid":"m_1"}})")),
            "entry[0].messaging[0].sender.id is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"6123450001"},"message":{"mid":"m_1"}})")),
            "entry[0].messaging[0].recipient is missing");
  EXPECT_EQ(MapError(Delivery(std::string(kMessage) +
                              R"(,{"sender":{"id":"1"},"recipient":{"id":"2"},"message":{"text":"x"}})")),
            "entry[0].messaging[1].message.mid is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1"},"recipient":{"id":"2"},"message":"hello"})")),
            "entry[0].messaging[0].message must be a JSON object");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1"},"recipient":{"id":"2"},"reaction":{"action":"react"}})")),
            "entry[0].messaging[0].reaction.mid is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1"},"recipient":{"id":"2"},"delivery":{}})")),
            "entry[0].messaging[0].delivery.watermark is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1"},"recipient":{"id":"2"},"read":{"watermark":0}})")),
            "entry[0].messaging[0].read.watermark must be a positive time in milliseconds");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1"},"recipient":{"id":"2"},"delivery":{"mids":[7]}})")),
            "entry[0].messaging[0].delivery.mids[0] must be a non-empty string");
  EXPECT_EQ(MapError(Delivery(R"("text")")), "entry[0].messaging[0] must be a JSON object");
  EXPECT_EQ(MapError(R"({"object":"page","entry":[{"id":"1","messaging":{}}]})"),
            "entry[0].messaging must be a JSON array");
  EXPECT_EQ(MapError(R"({"object":"page","entry":[{"id":"1","changes":[{"value":{}}]}]})"),
            "entry[0].changes[0].field is missing");
  EXPECT_EQ(MapError(Delivery(R"({"sender":{"id":"1\u0007"},"recipient":{"id":"2"},"message":{"mid":"m"}})")),
            "entry[0].messaging[0].sender.id is invalid: user id '1\\x07' of platform 'messenger' contains control "
            "characters or invalid UTF-8");
}

}  // namespace
}  // namespace omnihub::social
