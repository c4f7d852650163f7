#include "services/sms/twilio/twilio_mapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/base/env.h"
#include "common/event/event_validation.h"
#include "common/event/delivery_stage.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kReceivedUs = 1'718'000'000'123'456;

class TwilioMapperTest : public ::testing::Test {
 protected:
  base::Result<v1::Event> Message(const Params& p) { return MapTwilioMessage(p, ctx_, us_, ids_); }
  base::Result<v1::Event> StatusEvent(const Params& p) { return MapTwilioStatus(p, ctx_, us_, ids_); }

  static Params Without(Params p, std::string_view name) {
    std::erase_if(p, [&](const auto& kv) { return kv.first == name; });
    return p;
  }

  event::IdentityNormalizer us_{"US"};
  base::ManualClock clock_;
  base::SeededRandom random_{42};
  base::UuidV7Generator ids_{clock_, random_};
  SmsWebhookContext ctx_{"main", kReceivedUs};

  // Section 3.1's example body, parsed.
  Params mms_ = {{"MessageSid", "MM0123456789abcdef0123456789abcdef"},
                 {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
                 {"From", "+14017122661"},
                 {"To", "+15558675310"},
                 {"Body", "Where is my order?"},
                 {"NumMedia", "1"},
                 {"MediaContentType0", "image/jpeg"},
                 {"MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01"},
                 {"NumSegments", "1"},
                 {"SmsStatus", "received"},
                 {"ApiVersion", "2010-04-01"},
                 {"FromCity", "PROVIDENCE"}};
  Params status_ = {{"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                    {"SmsSid", "SM0123456789abcdef0123456789abcdef"},
                    {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
                    {"From", "+15558675310"},
                    {"To", "+14017122661"},
                    {"MessageStatus", "delivered"},
                    {"SmsStatus", "delivered"},
                    {"ApiVersion", "2010-04-01"},
                    {"RawDlrDoneDate", "2406101200"}};
};

TEST_F(TwilioMapperTest, InboundSmsBecomesAMessageFromTheCustomerToTheBusinessNumber) {
  auto e = Message(mms_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->channel(), v1::SMS);
  EXPECT_EQ(e->kind(), v1::MESSAGE);
  EXPECT_EQ(e->direction(), v1::INBOUND);
  EXPECT_EQ(e->event_id().size(), 16u);
  EXPECT_EQ(e->account(), "+15558675310");
  EXPECT_EQ(e->provider_message_id(), "MM0123456789abcdef0123456789abcdef");
  EXPECT_EQ(e->sender().kind(), v1::Identity::PHONE);
  EXPECT_EQ(e->sender().value(), "+14017122661");
  ASSERT_EQ(e->recipients_size(), 1);
  EXPECT_EQ(e->recipients(0).value(), "+15558675310");
  EXPECT_EQ(e->text(), "Where is my order?");
  EXPECT_EQ(e->conversation(), "sms:+15558675310:+14017122661");
  // Twilio sends no time: the receive time is the best there is.
  EXPECT_EQ(e->occurred_at_us(), kReceivedUs);
  EXPECT_EQ(e->received_at_us(), kReceivedUs);
  EXPECT_FALSE(e->has_delivery_status());
}

TEST_F(TwilioMapperTest, KeepsEveryParameterInProviderFields) {
  auto e = Message(mms_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  for (const auto& [name, value] : mms_) {
    ASSERT_TRUE(e->provider_fields().contains(name)) << name;
    EXPECT_EQ(e->provider_fields().at(name), value) << name;
  }
  EXPECT_EQ(e->provider_fields().at(kAccountNameField), "main");
  EXPECT_EQ(e->provider_fields_size(), static_cast<int>(mms_.size()) + 1);
}

TEST_F(TwilioMapperTest, MediaBecomeAttachmentsInOrder) {
  Params p = mms_;
  p = Without(p, "NumMedia");
  p.emplace_back("NumMedia", "2");
  p.emplace_back("MediaUrl1", "https://media.example/files/receipt.pdf?sig=1");
  auto e = Message(p);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->attachments_size(), 2);
  EXPECT_EQ(e->attachments(0).storage_ref(), "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01");
  EXPECT_EQ(e->attachments(0).media_type(), "image/jpeg");
  EXPECT_EQ(e->attachments(0).name(), "");  // Twilio's media URLs end in an id, not a file name
  EXPECT_EQ(e->attachments(0).size_bytes(), 0u);
  EXPECT_TRUE(e->attachments(0).sha256().empty());
  EXPECT_EQ(e->attachments(1).name(), "receipt.pdf");
  EXPECT_EQ(e->attachments(1).media_type(), "");

  auto none = Message(Without(Without(mms_, "NumMedia"), "MediaUrl0"));
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->attachments_size(), 0);
}

TEST_F(TwilioMapperTest, WhatsAppSenderIsThePhoneWithItsProfileName) {
  Params p = {{"MessageSid", "SM1"},           {"AccountSid", "AC1"},        {"From", "whatsapp:+14017122661"},
              {"To", "whatsapp:+14155238886"}, {"Body", "hola"},             {"ProfileName", "Jane Doe"},
              {"WaId", "14017122661"},         {"NumMedia", "0"}};
  auto e = Message(p);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->channel(), v1::WHATSAPP);
  EXPECT_EQ(e->account(), "+14155238886");
  EXPECT_EQ(e->sender().kind(), v1::Identity::PHONE);
  EXPECT_EQ(e->sender().value(), "+14017122661");
  EXPECT_EQ(e->sender().display_name(), "Jane Doe");
  EXPECT_EQ(e->conversation(), "whatsapp:+14155238886:+14017122661");
  // The same person texting by SMS is the same identity.
  auto sms = Message(mms_);
  ASSERT_TRUE(sms.ok());
  EXPECT_EQ(event::IdentityKey(e->sender()), event::IdentityKey(sms->sender()));
}

TEST_F(TwilioMapperTest, ShortCodesAndSenderIdsAreTheirOwnIdentities) {
  Params p = {{"MessageSid", "SM2"}, {"AccountSid", "AC1"}, {"From", "+14017122661"},
              {"To", "72345"},       {"ToCountry", "CA"},   {"Body", "STOP"}};
  auto e = Message(p);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->account(), "72345");
  EXPECT_EQ(e->recipients(0).kind(), v1::Identity::SHORT_CODE);
  EXPECT_EQ(e->recipients(0).account(), "CA");  // ToCountry scopes the code
  EXPECT_EQ(e->conversation(), "sms:72345:+14017122661");

  p = {{"MessageSid", "SM3"}, {"AccountSid", "AC1"}, {"From", "AcmeBank"}, {"To", "+15558675310"}, {"Body", "x"}};
  auto from_sender = Message(p);
  ASSERT_TRUE(from_sender.ok()) << from_sender.status().ToString();
  EXPECT_EQ(from_sender->sender().kind(), v1::Identity::ALPHANUMERIC_SENDER);
  EXPECT_EQ(from_sender->sender().value(), "AcmeBank");
}

TEST_F(TwilioMapperTest, MissingRequiredParametersAreNamed) {
  for (std::string_view name : {"MessageSid", "AccountSid", "From", "To"}) {
    auto e = Message(Without(mms_, name));
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_TRUE(e.status().IsInvalidArgument());
    EXPECT_EQ(e.status().message(), "parameter '" + std::string(name) + "' is missing");
  }
  Params blank = Without(mms_, "MessageSid");
  blank.emplace_back("MessageSid", "  ");
  EXPECT_EQ(Message(blank).status().message(), "parameter 'MessageSid' is empty");
}

TEST_F(TwilioMapperTest, MalformedParametersAreNamed) {
  for (std::string bad : {"x", "-1", "1.0", "101", ""}) {
    Params p = Without(mms_, "NumMedia");
    p.emplace_back("NumMedia", bad);
    EXPECT_THAT(Message(p).status().message(), HasSubstr("parameter 'NumMedia' is not a count")) << bad;
  }
  Params two = Without(mms_, "NumMedia");
  two.emplace_back("NumMedia", "2");
  EXPECT_EQ(Message(two).status().message(), "parameter 'MediaUrl1' is missing (NumMedia is 2)");
  Params bad_from = Without(mms_, "From");
  bad_from.emplace_back("From", "whatsapp:not-a-number");
  EXPECT_THAT(Message(bad_from).status().message(), HasSubstr("parameter 'From': invalid phone number"));
  Params messenger = Without(mms_, "To");
  messenger.emplace_back("To", "messenger:1234");
  EXPECT_THAT(Message(messenger).status().message(), HasSubstr("parameter 'To'"));
}

TEST_F(TwilioMapperTest, StatusCallbackBecomesAStatusOfTheOutboundMessage) {
  auto e = StatusEvent(status_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->channel(), v1::SMS);
  EXPECT_EQ(e->kind(), v1::STATUS);
  EXPECT_EQ(e->direction(), v1::OUTBOUND);
  EXPECT_EQ(e->provider_message_id(), "SM0123456789abcdef0123456789abcdef/delivered");
  EXPECT_EQ(e->refers_to_provider_message_id(), "SM0123456789abcdef0123456789abcdef");
  EXPECT_EQ(e->account(), "+15558675310");
  EXPECT_EQ(e->sender().value(), "+15558675310");
  ASSERT_EQ(e->recipients_size(), 1);
  EXPECT_EQ(e->recipients(0).value(), "+14017122661");
  EXPECT_EQ(e->delivery_status().state(), "delivered");
  EXPECT_EQ(e->delivery_status().stage(), event::kStageFinal);
  EXPECT_EQ(e->delivery_status().error_code(), "");
  EXPECT_EQ(e->occurred_at_us(), kReceivedUs);
  EXPECT_EQ(e->provider_fields().at("RawDlrDoneDate"), "2406101200");
  // The status sits in the same conversation as the customer's messages on that number.
  EXPECT_EQ(e->conversation(), Message(mms_)->conversation());
}

TEST_F(TwilioMapperTest, StatusIdCarriesTheErrorCodeUnlessZero) {
  Params failed = Without(status_, "MessageStatus");
  failed.emplace_back("MessageStatus", "Undelivered");
  failed.emplace_back("ErrorCode", "30003");
  auto e = StatusEvent(failed);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->provider_message_id(), "SM0123456789abcdef0123456789abcdef/undelivered/30003");
  EXPECT_EQ(e->delivery_status().state(), "undelivered");
  EXPECT_EQ(e->delivery_status().error_code(), "30003");

  Params zero = status_;
  zero.emplace_back("ErrorCode", "0");
  EXPECT_EQ(StatusEvent(zero)->provider_message_id(), "SM0123456789abcdef0123456789abcdef/delivered");
  EXPECT_EQ(StatusEvent(zero)->delivery_status().error_code(), "");

  // A provider retry of the same callback maps to the same id (the unifier's dedup key).
  EXPECT_EQ(StatusEvent(status_)->provider_message_id(), StatusEvent(status_)->provider_message_id());
  EXPECT_NE(StatusEvent(status_)->event_id(), StatusEvent(status_)->event_id());
}

TEST_F(TwilioMapperTest, WhatsAppReadReceiptHasStageReadAndTheChannelDetail) {
  Params p = {{"MessageSid", "SM9"},           {"MessageStatus", "read"},          {"EventType", "READ"},
              {"From", "whatsapp:+14155238886"}, {"To", "whatsapp:+14017122661"}, {"ChannelPrefix", "whatsapp"},
              {"ChannelStatusMessage", "Message read"}};
  auto e = StatusEvent(p);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->channel(), v1::WHATSAPP);
  EXPECT_EQ(e->delivery_status().stage(), event::kStageRead);
  EXPECT_EQ(e->delivery_status().detail(), "Message read");
  EXPECT_EQ(e->account(), "+14155238886");
  EXPECT_EQ(e->conversation(), "whatsapp:+14155238886:+14017122661");
}

TEST_F(TwilioMapperTest, StatusMissingRequiredParametersAreNamed) {
  for (std::string_view name : {"MessageSid", "MessageStatus", "From", "To"}) {
    auto e = StatusEvent(Without(status_, name));
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_EQ(e.status().message(), "parameter '" + std::string(name) + "' is missing");
  }
  EXPECT_TRUE(StatusEvent(Without(status_, "AccountSid")).ok());  // not needed for a status
}

TEST_F(TwilioMapperTest, TellsStatusCallbacksFromMessages) {
  EXPECT_TRUE(IsTwilioStatusCallback(status_));
  EXPECT_FALSE(IsTwilioStatusCallback(mms_));  // SmsStatus=received alone is an inbound message
}

TEST_F(TwilioMapperTest, MappedEventsPassTheHubsValidationUnchanged) {
  Params wa = {{"MessageSid", "SM1"}, {"AccountSid", "AC1"}, {"From", "whatsapp:+14017122661"},
               {"To", "whatsapp:+14155238886"}, {"ProfileName", "Jane"}};
  Params short_code = {{"MessageSid", "SM2"}, {"AccountSid", "AC1"}, {"From", "AcmeBank"}, {"To", "72345"}};
  for (auto mapped : {Message(mms_), Message(wa), Message(short_code), StatusEvent(status_)}) {
    ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
    v1::Event validated = *mapped;
    const base::Status s = event::ValidateAndNormalizeEvent(&validated, us_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(event::IdentityKey(validated.sender()), event::IdentityKey(mapped->sender()));
    EXPECT_EQ(event::IdentityKey(validated.recipients(0)), event::IdentityKey(mapped->recipients(0)));
  }
}

TEST(DeliveryStageTest, OrdersTheStatesOfAMessagesLife) {
  EXPECT_EQ(event::DeliveryStage("accepted"), 10);
  EXPECT_EQ(event::DeliveryStage("scheduled"), 10);
  EXPECT_EQ(event::DeliveryStage("queued"), 20);
  EXPECT_EQ(event::DeliveryStage("buffered"), 20);
  EXPECT_EQ(event::DeliveryStage("sending"), 30);
  EXPECT_EQ(event::DeliveryStage("sent"), 40);
  for (std::string_view final_state : {"delivered", "undelivered", "failed", "expired", "rejected", "canceled",
                                       "partially_delivered", "unknown", "received"}) {
    EXPECT_EQ(event::DeliveryStage(final_state), 50) << final_state;
  }
  EXPECT_EQ(event::DeliveryStage("read"), 60);
  EXPECT_EQ(event::DeliveryStage("played"), 70);
  EXPECT_EQ(event::DeliveryStage("DELIVERED"), 50);
  EXPECT_EQ(event::DeliveryStage("teleported"), event::kStageUnknown);
  EXPECT_EQ(event::DeliveryStage(""), event::kStageUnknown);
  EXPECT_LT(event::DeliveryStage("sent"), event::DeliveryStage("delivered"));
  EXPECT_LT(event::DeliveryStage("delivered"), event::DeliveryStage("read"));
}

}  // namespace
}  // namespace omnihub::sms
