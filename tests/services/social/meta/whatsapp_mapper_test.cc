#include "services/social/meta/whatsapp_mapper.h"

#include <gtest/gtest.h>

#include "common/event/delivery_stage.h"
#include "services/social/meta/whatsapp_message.h"
#include "tests/services/social/meta/meta_test_support.h"

namespace omnihub::social {
namespace {

constexpr char kWaba[] = "102290129340398";
constexpr char kPhoneNumberId[] = "106540352242922";
constexpr char kBusiness[] = "phone:+15550783881";
constexpr char kCustomer[] = "phone:+16505551234";

// A WhatsApp delivery of one "messages" change whose value holds `members` beside metadata.
std::string Value(std::string_view members) {
  return std::string(
             R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",)"
             R"("value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},)") +
         std::string(members) + "}}]}]}";
}

// A delivery of messages from the customer of section 5.5, with their contact.
std::string Messages(std::string_view messages) {
  return Value(R"("contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[)" +
               std::string(messages) + "]");
}

// One message of `type` with its object `content`.
std::string Message(std::string_view id, std::string_view type, std::string_view content) {
  return R"({"from":"16505551234","id":")" + std::string(id) + R"(","timestamp":"1718000000","type":")" +
         std::string(type) + R"(",")" + std::string(type) + R"(":)" + std::string(content) + "}";
}

class WhatsAppMapperTest : public MetaMapperTest {
 protected:
  v1::Event One(std::string_view body) {
    MappedDelivery d = MapOk(body);
    EXPECT_EQ(d.size(), 1u);
    return d.empty() ? v1::Event() : d[0].event;
  }
};

TEST_F(WhatsAppMapperTest, TextReplyFromTheCustomerToTheBusinessNumber) {
  constexpr char kText[] =
      R"({"from":"16505551234","id":"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTBB","timestamp":"1718000000","type":"text",)"
      R"("text":{"body":"Hi, order 1234 never arrived"},"context":{"from":"15550783881","id":"wamid.PrEvIoUs"}})";
  MappedDelivery d = MapOk(Messages(kText));
  ASSERT_EQ(d.size(), 1u);
  const v1::Event& e = d[0].event;
  EXPECT_EQ(e.channel(), v1::WHATSAPP);
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.account(), kPhoneNumberId);
  EXPECT_EQ(e.provider_message_id(), "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTBB");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'000'000);
  EXPECT_EQ(Arg(e.sender()), kCustomer);
  EXPECT_EQ(e.sender().display_name(), "Sheena Nelson");
  ASSERT_EQ(e.recipients_size(), 1);
  EXPECT_EQ(Arg(e.recipients(0)), kBusiness);
  EXPECT_EQ(e.conversation(), "whatsapp:+15550783881:+16505551234");
  EXPECT_EQ(e.text(), "Hi, order 1234 never arrived");
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "wamid.PrEvIoUs");
  EXPECT_EQ(e.provider_fields().at("context.from"), "15550783881");
  EXPECT_EQ(e.provider_fields().at(kAccountNameField), "main");
  EXPECT_EQ(e.provider_fields_size(), 3);
  EXPECT_EQ(e.party_links_size(), 0);
  EXPECT_EQ(e.flags_size(), 0);
  EXPECT_EQ(d[0].raw_json, Dump(Json::parse(kText)));
}

TEST_F(WhatsAppMapperTest, EveryMediaTypeIsAnAttachmentHeldByWhatsApp) {
  MappedDelivery d = MapOk(Messages(
      Message("wamid.1", "image", R"({"id":"1001","mime_type":"image/jpeg","sha256":"aGFzaA==","caption":"the box"})") +
      "," +
      Message("wamid.2", "audio",
              R"({"id":"1002","mime_type":"audio/ogg; codecs=opus","sha256":"aA==","voice":true})") +
      "," + Message("wamid.3", "video", R"({"id":"1003","mime_type":"video/mp4","caption":"unboxing"})") + "," +
      Message("wamid.4", "document",
              R"({"id":"1004","mime_type":"application/pdf","filename":"invoice.pdf","caption":"my invoice"})") +
      "," + Message("wamid.5", "sticker", R"({"id":"1005","mime_type":"image/webp","animated":false})")));
  ASSERT_EQ(d.size(), 5u);
  struct Expected {
    std::string_view name, media_type, ref, text;
  } expected[] = {{"", "image/jpeg", "whatsapp-media:1001", "the box"},
                  {"", "audio/ogg; codecs=opus", "whatsapp-media:1002", ""},
                  {"", "video/mp4", "whatsapp-media:1003", "unboxing"},
                  {"invoice.pdf", "application/pdf", "whatsapp-media:1004", "my invoice"},
                  {"", "image/webp", "whatsapp-media:1005", ""}};
  for (size_t i = 0; i < d.size(); ++i) {
    const v1::Event& e = d[i].event;
    EXPECT_EQ(e.kind(), v1::MESSAGE) << i;
    ASSERT_EQ(e.attachments_size(), 1) << i;
    EXPECT_EQ(e.attachments(0).name(), expected[i].name) << i;
    EXPECT_EQ(e.attachments(0).media_type(), expected[i].media_type) << i;
    EXPECT_EQ(e.attachments(0).storage_ref(), expected[i].ref) << i;
    EXPECT_EQ(e.text(), expected[i].text) << i;
    EXPECT_EQ(e.provider_message_id(), "wamid." + std::to_string(i + 1));
  }
  EXPECT_EQ(d[0].event.provider_fields().at("image.sha256"), "aGFzaA==");
  EXPECT_EQ(d[1].event.provider_fields().at("audio.voice"), "true");
  EXPECT_EQ(d[1].event.provider_fields().at("audio.sha256"), "aA==");
  EXPECT_EQ(d[4].event.provider_fields().at("sticker.animated"), "false");
  EXPECT_EQ(d[3].event.provider_fields().count("document.filename"), 0u);
  EXPECT_EQ(d[3].event.provider_fields().count("document.id"), 0u);
}

TEST_F(WhatsAppMapperTest, Location) {
  const v1::Event e = One(Messages(Message(
      "wamid.L", "location",
      R"({"latitude":37.483307,"longitude":-122.148981,"name":"Pablo Morales","address":"1 Hacker Way, Menlo Park"})")));
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.text(), "Pablo Morales, 1 Hacker Way, Menlo Park");
  EXPECT_EQ(e.provider_fields().at("location.latitude"), "37.483307");
  EXPECT_EQ(e.provider_fields().at("location.longitude"), "-122.148981");
  EXPECT_EQ(e.provider_fields().at("location.name"), "Pablo Morales");
  EXPECT_EQ(e.provider_fields().at("location.address"), "1 Hacker Way, Menlo Park");
}

TEST_F(WhatsAppMapperTest, SharedContacts) {
  constexpr char kCards[] =
      R"([{"name":{"formatted_name":"John Doe","first_name":"John"},"phones":[{"phone":"+1 415 555 0100","wa_id":"14155550100","type":"CELL"}]},)"
      R"({"name":{"formatted_name":"Jane Roe"},"emails":[{"email":"jane@example.com"}]}])";
  const v1::Event e = One(Messages(Message("wamid.C", "contacts", kCards)));
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.text(), "John Doe, Jane Roe");
  EXPECT_EQ(e.provider_fields().at("contacts"), Dump(Json::parse(kCards)));
}

TEST_F(WhatsAppMapperTest, InteractiveReplies) {
  MappedDelivery d = MapOk(Messages(
      Message("wamid.B", "interactive",
              R"({"type":"button_reply","button_reply":{"id":"track","title":"Track my order"}})") +
      "," +
      Message(
          "wamid.M", "interactive",
          R"({"type":"list_reply","list_reply":{"id":"size-m","title":"Medium","description":"Chest 96-101 cm"}})")));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].event.text(), "Track my order");
  EXPECT_EQ(d[0].event.provider_fields().at("interactive.type"), "button_reply");
  EXPECT_EQ(d[0].event.provider_fields().at("interactive.id"), "track");
  EXPECT_EQ(d[0].event.provider_fields().count("interactive.description"), 0u);
  EXPECT_EQ(d[1].event.text(), "Medium");
  EXPECT_EQ(d[1].event.provider_fields().at("interactive.type"), "list_reply");
  EXPECT_EQ(d[1].event.provider_fields().at("interactive.id"), "size-m");
  EXPECT_EQ(d[1].event.provider_fields().at("interactive.description"), "Chest 96-101 cm");
}

TEST_F(WhatsAppMapperTest, TemplateButton) {
  const v1::Event e =
      One(Messages(Message("wamid.T", "button", R"({"payload":"STOP_PROMOS","text":"Stop promotions"})")));
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.text(), "Stop promotions");
  EXPECT_EQ(e.provider_fields().at("button.payload"), "STOP_PROMOS");
}

TEST_F(WhatsAppMapperTest, ReactionAndItsRemoval) {
  MappedDelivery d =
      MapOk(Messages(Message("wamid.R1", "reaction", R"({"message_id":"wamid.OuTbOuNd","emoji":"\ud83d\udc4d"})") +
                     "," + Message("wamid.R2", "reaction", R"({"message_id":"wamid.OuTbOuNd","emoji":""})")));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].event.kind(), v1::REACTION);
  EXPECT_EQ(d[0].event.refers_to_provider_message_id(), "wamid.OuTbOuNd");
  EXPECT_EQ(d[0].event.reaction().emoji(), "\U0001F44D");
  EXPECT_FALSE(d[0].event.reaction().removed());
  EXPECT_EQ(d[0].event.provider_message_id(), "wamid.R1");
  EXPECT_EQ(d[1].event.kind(), v1::REACTION);
  EXPECT_EQ(d[1].event.reaction().emoji(), "");
  EXPECT_TRUE(d[1].event.reaction().removed());
  EXPECT_EQ(d[1].event.provider_message_id(), "wamid.R2");
}

TEST_F(WhatsAppMapperTest, StatusesInAnyOrderKeepTheirStages) {
  MappedDelivery d = MapOk(Value(
      R"("statuses":[)"
      R"({"id":"wamid.OuT","status":"sent","timestamp":"1718000100","recipient_id":"16505551234","conversation":{"id":"c1","origin":{"type":"service"}},"pricing":{"billable":false}},)"
      R"({"id":"wamid.OuT","status":"read","timestamp":"1718000160","recipient_id":"16505551234"},)"
      R"({"id":"wamid.OuT","status":"delivered","timestamp":"1718000130","recipient_id":"16505551234"}])"));
  ASSERT_EQ(d.size(), 3u);
  const std::string states[] = {"sent", "read", "delivered"};
  const int stages[] = {event::kStageSent, event::kStageRead, event::kStageFinal};
  const int64_t times[] = {1'718'000'100'000'000, 1'718'000'160'000'000, 1'718'000'130'000'000};
  for (size_t i = 0; i < 3; ++i) {
    const v1::Event& e = d[i].event;
    EXPECT_EQ(e.kind(), v1::STATUS);
    EXPECT_EQ(e.direction(), v1::OUTBOUND);
    EXPECT_EQ(e.account(), kPhoneNumberId);
    EXPECT_EQ(Arg(e.sender()), kBusiness);
    ASSERT_EQ(e.recipients_size(), 1);
    EXPECT_EQ(Arg(e.recipients(0)), kCustomer);
    EXPECT_EQ(e.conversation(), "whatsapp:+15550783881:+16505551234");
    EXPECT_EQ(e.refers_to_provider_message_id(), "wamid.OuT");
    EXPECT_EQ(e.delivery_status().state(), states[i]);
    EXPECT_EQ(e.delivery_status().stage(), stages[i]);
    EXPECT_EQ(e.delivery_status().error_code(), "");
    EXPECT_EQ(e.provider_message_id(), "wamid.OuT/" + states[i]);
    EXPECT_EQ(e.occurred_at_us(), times[i]);
  }
  EXPECT_EQ(d[0].event.provider_fields().at("conversation"), R"({"id":"c1","origin":{"type":"service"}})");
  EXPECT_EQ(d[0].event.provider_fields().at("pricing"), R"({"billable":false})");
}

TEST_F(WhatsAppMapperTest, FailedStatusCarriesTheErrorCodeTitleAndDetails) {
  constexpr char kErrors[] = R"([{"code":131026,"title":"Message undeliverable","message":"Message undeliverable",)"
                             R"("error_data":{"details":"Receiver is incapable of receiving this message"}}])";
  const v1::Event e = One(Value(
      std::string(
          R"("statuses":[{"id":"wamid.OuTbOuNd","status":"failed","timestamp":"1718000100","recipient_id":"16505551234","errors":)") +
      kErrors + "}]"));
  EXPECT_EQ(e.kind(), v1::STATUS);
  EXPECT_EQ(e.delivery_status().state(), "failed");
  EXPECT_EQ(e.delivery_status().stage(), event::kStageFinal);
  EXPECT_EQ(e.delivery_status().error_code(), "131026");
  EXPECT_EQ(e.delivery_status().detail(), "Message undeliverable: Receiver is incapable of receiving this message");
  EXPECT_EQ(e.provider_message_id(), "wamid.OuTbOuNd/failed/131026");
  EXPECT_EQ(e.provider_fields().at("errors"), Dump(Json::parse(kErrors)));
}

TEST_F(WhatsAppMapperTest, PlayedComesAfterRead) {
  const v1::Event e = One(Value(
      R"("statuses":[{"id":"wamid.V","status":"played","timestamp":"1718000200","recipient_id":"16505551234"}])"));
  EXPECT_EQ(e.delivery_status().stage(), event::kStagePlayed);
  EXPECT_GT(event::kStagePlayed, event::kStageRead);
  EXPECT_EQ(e.provider_message_id(), "wamid.V/played");
}

TEST_F(WhatsAppMapperTest, UsernameUserWithoutANumberIsTheirBusinessScopedId) {
  const v1::Event e = One(Value(
      R"("contacts":[{"profile":{"name":"Jane","username":"@jane"},"user_id":"US.13491208655302741918"}],)"
      R"("messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.U","timestamp":"1718000000","type":"text","text":{"body":"hi"}}])"));
  EXPECT_EQ(Arg(e.sender()), "whatsapp:102290129340398:US.13491208655302741918");
  EXPECT_EQ(e.sender().handle(), "@jane");
  EXPECT_EQ(e.sender().display_name(), "Jane");
  EXPECT_EQ(e.party_links_size(), 0);
  EXPECT_EQ(e.conversation(), "whatsapp:+15550783881:US.13491208655302741918");
  EXPECT_EQ(e.text(), "hi");
}

TEST_F(WhatsAppMapperTest, NumberAndBusinessScopedIdInOneMessageAreLinked) {
  const v1::Event e = One(Value(
      R"("contacts":[{"profile":{"name":"Sheena Nelson","username":"@sheena"},"wa_id":"16505551234","user_id":"US.777"}],)"
      R"("messages":[{"from":"16505551234","id":"wamid.BoTh","timestamp":"1718000000","type":"text","text":{"body":"hi"}}])"));
  EXPECT_EQ(Arg(e.sender()), kCustomer);
  EXPECT_EQ(e.sender().display_name(), "Sheena Nelson");
  ASSERT_EQ(e.party_links_size(), 1);
  EXPECT_EQ(Arg(e.party_links(0).identity()), "whatsapp:102290129340398:US.777");
  EXPECT_EQ(e.party_links(0).identity().handle(), "@sheena");
  EXPECT_EQ(e.party_links(0).reason(),
            "whatsapp: one message carried both the number (from) and the business-scoped user id");
  EXPECT_EQ(e.conversation(), "whatsapp:+15550783881:+16505551234");

  // The message's own from_user_id wins over the contact's.
  const v1::Event own = One(Value(
      R"("contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234","user_id":"US.777"}],)"
      R"("messages":[{"from":"16505551234","from_user_id":"US.888","id":"wamid.BoTh2","timestamp":"1718000000","type":"text","text":{"body":"hi"}}])"));
  ASSERT_EQ(own.party_links_size(), 1);
  EXPECT_EQ(Arg(own.party_links(0).identity()), "whatsapp:102290129340398:US.888");
}

TEST_F(WhatsAppMapperTest, StatusOfAUsernameUserAndOfOneWithBoth) {
  MappedDelivery d = MapOk(Value(
      R"("statuses":[{"id":"wamid.S1","status":"sent","timestamp":"1718000100","recipient_user_id":"US.999"},)"
      R"({"id":"wamid.S2","status":"sent","timestamp":"1718000100","recipient_id":"16505551234","recipient_user_id":"US.777"}])"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(Arg(d[0].event.recipients(0)), "whatsapp:102290129340398:US.999");
  EXPECT_EQ(d[0].event.party_links_size(), 0);
  EXPECT_EQ(Arg(d[1].event.recipients(0)), kCustomer);
  ASSERT_EQ(d[1].event.party_links_size(), 1);
  EXPECT_EQ(Arg(d[1].event.party_links(0).identity()), "whatsapp:102290129340398:US.777");
  EXPECT_EQ(d[1].event.party_links(0).reason(), kWhatsAppStatusLinkReason);
}

TEST_F(WhatsAppMapperTest, UnsupportedSystemAndUnknownTypesAreActivities) {
  constexpr char kUnsupported[] =
      R"({"from":"16505551234","id":"wamid.X1","timestamp":"1718000000","type":"unsupported",)"
      R"("errors":[{"code":131051,"title":"Message type unknown"}]})";
  constexpr char kOrder[] =
      R"({"from":"16505551234","id":"wamid.X2","timestamp":"1718000000","type":"order","order":{"catalog_id":"7"}})";
  constexpr char kSystem[] = R"({"from":"16505551234","id":"wamid.X3","timestamp":"1718000000","type":"system",)"
                             R"("system":{"body":"User changed number","type":"user_changed_number"}})";
  MappedDelivery d = MapOk(Messages(std::string(kUnsupported) + "," + kOrder + "," + kSystem));
  ASSERT_EQ(d.size(), 3u);
  for (const auto& m : d) {
    EXPECT_EQ(m.event.kind(), v1::ACTIVITY);
    EXPECT_EQ(m.event.direction(), v1::INBOUND);
    EXPECT_EQ(Arg(m.event.sender()), kCustomer);
  }
  EXPECT_EQ(d[0].event.activity(), "unsupported");
  EXPECT_EQ(d[0].event.provider_message_id(), "wamid.X1");
  EXPECT_EQ(d[0].event.provider_fields().at("errors"), R"([{"code":131051,"title":"Message type unknown"}])");
  EXPECT_EQ(d[0].raw_json, Dump(Json::parse(kUnsupported)));
  EXPECT_EQ(d[1].event.activity(), "unknown:order");
  EXPECT_EQ(d[1].raw_json, Dump(Json::parse(kOrder)));
  EXPECT_EQ(d[2].event.activity(), "system");
  EXPECT_EQ(d[2].event.text(), "User changed number");
}

TEST_F(WhatsAppMapperTest, ReferralIsKept) {
  const v1::Event e = One(Messages(
      R"({"from":"16505551234","id":"wamid.Ad","timestamp":"1718000000","type":"text","text":{"body":"Interested"},)"
      R"("referral":{"source_type":"ad","source_id":"120"}})"));
  EXPECT_EQ(e.provider_fields().at("referral"), R"({"source_id":"120","source_type":"ad"})");
}

TEST_F(WhatsAppMapperTest, OtherChangeFieldsAreActivitiesOfTheBusinessAccount) {
  constexpr char kValue[] =
      R"({"event":"APPROVED","message_template_id":12345,"message_template_name":"order_update"})";
  const v1::Event e =
      One(std::string(
              R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1718000300,"changes":[)"
              R"({"field":"message_template_status_update","value":)") +
          kValue + "}]}]}");
  EXPECT_EQ(e.channel(), v1::WHATSAPP);
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "message_template_status_update");
  EXPECT_EQ(e.account(), kWaba);
  EXPECT_EQ(Arg(e.sender()), "whatsapp:102290129340398:102290129340398");
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kBusinessPartyFlag);
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'300'000'000);
  MappedDelivery d =
      MapOk(std::string(R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[)"
                        R"({"field":"message_template_status_update","value":)") +
            kValue + "}]}]}");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].raw_json, Dump(Json::parse(kValue)));
  EXPECT_EQ(d[0].event.occurred_at_us(), kReceivedUs);
}

TEST_F(WhatsAppMapperTest, ValueLevelErrorsAreAnActivityOfTheBusiness) {
  const v1::Event e = One(Value(R"("errors":[{"code":131000,"title":"Something went wrong"}])"));
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "errors");
  EXPECT_EQ(e.account(), kPhoneNumberId);
  EXPECT_EQ(e.provider_fields().at("errors"), R"([{"code":131000,"title":"Something went wrong"}])");
  EXPECT_EQ(Arg(e.sender()), "whatsapp:102290129340398:102290129340398");
}

TEST_F(WhatsAppMapperTest, RequiredFieldsAreNamedByTheirPath) {
  const std::string prefix = "entry[0].changes[0].value.";
  EXPECT_EQ(MapError(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages"}]}]})"),
            "entry[0].changes[0].value is missing");
  EXPECT_EQ(
      MapError(
          R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{}}]}]})"),
      prefix + "metadata is missing");
  EXPECT_EQ(
      MapError(
          R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"15550783881"}}}]}]})"),
      prefix + "metadata.phone_number_id is missing");
  EXPECT_EQ(
      MapError(
          R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"}}}]}]})"),
      prefix +
          "metadata.display_phone_number is invalid: invalid phone number '+1' (default region US): not a phone "
          "number");
  EXPECT_EQ(MapError(Messages(R"({"from":"16505551234","timestamp":"1718000000","type":"text","text":{"body":"x"}})")),
            prefix + "messages[0].id is missing");
  EXPECT_EQ(MapError(Messages(R"({"from":"16505551234","id":"w","timestamp":"1718000000","text":{"body":"x"}})")),
            prefix + "messages[0].type is missing");
  EXPECT_EQ(MapError(Messages(R"({"id":"w","timestamp":"1718000000","type":"text","text":{"body":"x"}})")),
            prefix + "messages[0].from is missing");
  EXPECT_EQ(MapError(Messages(R"({"from":"abc","id":"w","timestamp":"1718000000","type":"text","text":{"body":"x"}})")),
            prefix +
                "messages[0].from is invalid: invalid phone number '+abc' (default region US): contains letters "
                "(alphanumeric sender ids and extensions are not phone numbers)");
  EXPECT_EQ(MapError(Messages(R"({"from":"16505551234","id":"w","timestamp":"1718000000","type":"image"})")),
            prefix + "messages[0].image is missing");
  EXPECT_EQ(MapError(Messages(Message("w", "reaction", R"({"emoji":"x"})"))),
            prefix + "messages[0].reaction.message_id is missing");
  EXPECT_EQ(MapError(Messages(Message("w", "contacts", R"({})"))),
            prefix + "messages[0].contacts must be a JSON array");
  EXPECT_EQ(MapError(Value(R"("statuses":[{"id":"w","recipient_id":"16505551234"}])")),
            prefix + "statuses[0].status is missing");
  EXPECT_EQ(MapError(Value(R"("statuses":[{"id":"w","status":"sent"}])")),
            prefix + "statuses[0].recipient_id is missing");
  EXPECT_EQ(MapError(Value(R"("messages":[1])")), prefix + "messages[0] must be a JSON object");
  EXPECT_EQ(MapError(Value(R"("contacts":{})")), prefix + "contacts must be a JSON array");
  EXPECT_EQ(MapError(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":"x"}]})"),
            "entry[0].changes must be a JSON array");
}

}  // namespace
}  // namespace omnihub::social
