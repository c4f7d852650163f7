#include "services/sms/vonage/vonage_mapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "common/base/env.h"
#include "common/event/event_validation.h"
#include "common/event/delivery_stage.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kReceivedUs = 1'718'020'805'000'000;
constexpr int64_t kTimestampUs = 1'718'020'800'000'000;  // 2024-06-10 12:00:00 UTC

class VonageMapperTest : public ::testing::Test {
 protected:
  base::Result<VonageInbound> Inbound(const Params& p) { return MapVonageInbound(p, ctx_, us_, ids_); }
  base::Result<v1::Event> Receipt(const Params& p) { return MapVonageReceipt(p, ctx_, us_, ids_); }

  // The event of a single-part inbound message (fails the test for anything else).
  v1::Event InboundEvent(const Params& p) {
    auto r = Inbound(p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_TRUE(std::holds_alternative<v1::Event>(*r));
    return std::holds_alternative<v1::Event>(*r) ? std::get<v1::Event>(*r) : v1::Event();
  }

  static Params Without(Params p, std::string_view name) {
    std::erase_if(p, [&](const auto& kv) { return kv.first == name; });
    return p;
  }
  static Params With(Params p, std::string name, std::string value) {
    p = Without(std::move(p), name);
    p.emplace_back(std::move(name), std::move(value));
    return p;
  }

  event::IdentityNormalizer us_{"US"};
  base::ManualClock clock_;
  base::SeededRandom random_{42};
  base::UuidV7Generator ids_{clock_, random_};
  SmsWebhookContext ctx_{"eu", kReceivedUs};

  Params sms_ = {{"msisdn", "447700900001"},
                 {"to", "447700900000"},
                 {"messageId", "0A0000000123ABCD1"},
                 {"text", "Hello there"},
                 {"type", "text"},
                 {"keyword", "HELLO"},
                 {"api-key", "abcd1234"},
                 {"message-timestamp", "2024-06-10 12:00:00"}};
  Params part_ = With(With(With(With(sms_, "concat", "true"), "concat-ref", "108"), "concat-total", "3"),
                      "concat-part", "2");
  Params dlr_ = {{"msisdn", "447700900001"},   {"to", "AcmeBank"},         {"network-code", "23410"},
                 {"messageId", "0A00000001234567"}, {"price", "0.03330000"}, {"status", "delivered"},
                 {"scts", "2406101200"},       {"err-code", "0"},          {"api-key", "abcd1234"},
                 {"message-timestamp", "2024-06-10 12:00:00"}};
};

TEST_F(VonageMapperTest, InboundSmsBecomesAMessageToTheVirtualNumber) {
  v1::Event e = InboundEvent(sms_);
  EXPECT_EQ(e.channel(), v1::SMS);
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.event_id().size(), 16u);
  EXPECT_EQ(e.account(), "+447700900000");
  EXPECT_EQ(e.provider_message_id(), "0A0000000123ABCD1");
  EXPECT_EQ(e.sender().kind(), v1::Identity::PHONE);
  EXPECT_EQ(e.sender().value(), "+447700900001");
  ASSERT_EQ(e.recipients_size(), 1);
  EXPECT_EQ(e.recipients(0).value(), "+447700900000");
  EXPECT_EQ(e.text(), "Hello there");
  EXPECT_EQ(e.occurred_at_us(), kTimestampUs);
  EXPECT_EQ(e.received_at_us(), kReceivedUs);
  EXPECT_EQ(e.flags_size(), 0);
  EXPECT_EQ(e.conversation(), "sms:+447700900000:+447700900001");
  for (const auto& [name, value] : sms_) EXPECT_EQ(e.provider_fields().at(name), value) << name;
  EXPECT_EQ(e.provider_fields().at(kAccountNameField), "eu");
}

TEST_F(VonageMapperTest, MissingOrGarbledTimestampFallsBackToReceiveTimeWithAFlag) {
  for (const Params& p : {Without(sms_, "message-timestamp"), With(sms_, "message-timestamp", "2024-02-30 12:00:00"),
                          With(sms_, "message-timestamp", "2024-06-10T12:00:00Z")}) {
    v1::Event e = InboundEvent(p);
    EXPECT_EQ(e.occurred_at_us(), kReceivedUs);
    ASSERT_EQ(e.flags_size(), 1);
    EXPECT_EQ(e.flags(0), kTimeMissingFlag);
  }
}

TEST_F(VonageMapperTest, BinaryMessageKeepsDataInProviderFieldsAndNoText) {
  Params p = With(With(With(Without(sms_, "text"), "type", "binary"), "data", "0102ff"), "udh", "050003CC0201");
  v1::Event e = InboundEvent(p);
  EXPECT_EQ(e.text(), "");
  EXPECT_EQ(e.provider_fields().at("data"), "0102ff");
  EXPECT_EQ(e.provider_fields().at("udh"), "050003CC0201");
  EXPECT_THAT(std::vector<std::string>(e.flags().begin(), e.flags().end()), ::testing::Contains("binary"));
  EXPECT_EQ(InboundEvent(With(sms_, "type", "unicode")).text(), "Hello there");
}

TEST_F(VonageMapperTest, InboundMissingRequiredParametersAreNamed) {
  for (std::string_view name : {"msisdn", "to", "messageId"}) {
    auto r = Inbound(Without(sms_, name));
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_TRUE(r.status().IsInvalidArgument());
    EXPECT_EQ(r.status().message(), "parameter '" + std::string(name) + "' is missing");
  }
  EXPECT_THAT(Inbound(With(sms_, "msisdn", "whatsapp:nope")).status().message(), HasSubstr("parameter 'msisdn'"));
  EXPECT_THAT(Inbound(With(sms_, "to", "12")).status().message(), HasSubstr("parameter 'to'"));
}

TEST_F(VonageMapperTest, AlphanumericSenderAndShortCodeAddresses) {
  v1::Event e = InboundEvent(With(With(sms_, "msisdn", "AcmeBank"), "to", "72345"));
  EXPECT_EQ(e.sender().kind(), v1::Identity::ALPHANUMERIC_SENDER);
  EXPECT_EQ(e.recipients(0).kind(), v1::Identity::SHORT_CODE);
  EXPECT_EQ(e.account(), "72345");
  EXPECT_EQ(e.conversation(), "sms:72345:AcmeBank");
}

TEST_F(VonageMapperTest, MultiPartMessageYieldsAConcatPart) {
  auto r = Inbound(part_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(std::holds_alternative<ConcatPart>(*r));
  const ConcatPart& p = std::get<ConcatPart>(*r);
  EXPECT_EQ(p.key, "447700900001:447700900000:108");
  EXPECT_EQ(p.part, 2u);
  EXPECT_EQ(p.total, 3u);
  EXPECT_EQ(p.text, "Hello there");
  EXPECT_EQ(p.message_id, "0A0000000123ABCD1");
  EXPECT_EQ(p.occurred_at_us, kTimestampUs);
  EXPECT_EQ(p.received_at_us, kReceivedUs);
  EXPECT_FALSE(p.time_missing);
  EXPECT_EQ(p.account_name, "eu");
  EXPECT_EQ(p.params, part_);
  // A concat-* parameter without concat=true still marks a part.
  auto no_flag = Inbound(Without(part_, "concat"));
  ASSERT_TRUE(no_flag.ok()) << no_flag.status().ToString();
  EXPECT_TRUE(std::holds_alternative<ConcatPart>(*no_flag));
}

TEST_F(VonageMapperTest, MultiPartParametersAreChecked) {
  for (std::string_view name : {"concat-ref", "concat-total", "concat-part"}) {
    EXPECT_EQ(Inbound(Without(part_, name)).status().message(), "parameter '" + std::string(name) + "' is missing");
  }
  for (std::string bad : {"1", "0", "256", "x", "-3"}) {
    EXPECT_THAT(Inbound(With(part_, "concat-total", bad)).status().message(),
                HasSubstr("parameter 'concat-total' is not a part count of 2-255"))
        << bad;
  }
  EXPECT_TRUE(Inbound(With(With(part_, "concat-total", "255"), "concat-part", "255")).ok());
  for (std::string bad : {"0", "4", "x", ""}) {
    EXPECT_THAT(Inbound(With(part_, "concat-part", bad)).status().message(), HasSubstr("parameter 'concat-part'")) << bad;
  }
  EXPECT_THAT(Inbound(With(part_, "msisdn", "12")).status().message(), HasSubstr("parameter 'msisdn'"));
}

TEST_F(VonageMapperTest, DeliveryReceiptBecomesAStatusFromTheBusinessSender) {
  auto e = Receipt(dlr_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->channel(), v1::SMS);
  EXPECT_EQ(e->kind(), v1::STATUS);
  EXPECT_EQ(e->direction(), v1::OUTBOUND);
  EXPECT_EQ(e->provider_message_id(), "0A00000001234567/delivered");
  EXPECT_EQ(e->refers_to_provider_message_id(), "0A00000001234567");
  EXPECT_EQ(e->account(), "AcmeBank");
  EXPECT_EQ(e->sender().kind(), v1::Identity::ALPHANUMERIC_SENDER);
  ASSERT_EQ(e->recipients_size(), 1);
  EXPECT_EQ(e->recipients(0).value(), "+447700900001");
  EXPECT_EQ(e->delivery_status().state(), "delivered");
  EXPECT_EQ(e->delivery_status().stage(), event::kStageFinal);
  EXPECT_EQ(e->delivery_status().error_code(), "");
  EXPECT_EQ(e->occurred_at_us(), kTimestampUs);
  EXPECT_EQ(e->conversation(), "sms:AcmeBank:+447700900001");
  EXPECT_EQ(e->provider_fields().at("price"), "0.03330000");
  EXPECT_EQ(e->provider_fields().at("network-code"), "23410");
}

TEST_F(VonageMapperTest, ReceiptIdCarriesANonZeroErrorCode) {
  auto failed = Receipt(With(With(dlr_, "status", "failed"), "err-code", "5"));
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(failed->provider_message_id(), "0A00000001234567/failed/5");
  EXPECT_EQ(failed->delivery_status().error_code(), "5");
  auto buffered = Receipt(With(Without(dlr_, "err-code"), "status", "buffered"));
  ASSERT_TRUE(buffered.ok());
  EXPECT_EQ(buffered->provider_message_id(), "0A00000001234567/buffered");
  EXPECT_EQ(buffered->delivery_status().stage(), event::kStageQueued);
  auto to_number = Receipt(With(dlr_, "to", "447700900000"));
  ASSERT_TRUE(to_number.ok());
  EXPECT_EQ(to_number->account(), "+447700900000");
}

TEST_F(VonageMapperTest, ReceiptMissingRequiredParametersAreNamed) {
  for (std::string_view name : {"msisdn", "to", "messageId", "status"}) {
    auto e = Receipt(Without(dlr_, name));
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_EQ(e.status().message(), "parameter '" + std::string(name) + "' is missing");
  }
}

TEST_F(VonageMapperTest, TellsReceiptsFromInboundMessages) {
  EXPECT_TRUE(IsVonageReceipt(dlr_));
  EXPECT_FALSE(IsVonageReceipt(sms_));
}

TEST_F(VonageMapperTest, MappedEventsPassTheHubsValidationUnchanged) {
  auto receipt = Receipt(dlr_);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  for (const v1::Event& mapped : {InboundEvent(sms_), InboundEvent(With(sms_, "msisdn", "AcmeBank")), *receipt}) {
    v1::Event validated = mapped;
    const base::Status s = event::ValidateAndNormalizeEvent(&validated, us_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(event::IdentityKey(validated.sender()), event::IdentityKey(mapped.sender()));
    EXPECT_EQ(event::IdentityKey(validated.recipients(0)), event::IdentityKey(mapped.recipients(0)));
  }
}

TEST(VonageTimestampTest, ParsesOnlyTheDocumentedShape) {
  EXPECT_EQ(*ParseVonageTimestamp("2024-06-10 12:00:00"), kTimestampUs);
  EXPECT_EQ(*ParseVonageTimestamp("2013-11-21 15:27:30"), int64_t{1385047650} * 1'000'000);
  for (std::string_view bad : {"", "2024-06-10", "2024-06-10T12:00:00", "2024-06-10 12:00:00Z", "2024-13-10 12:00:00",
                               "2024-02-30 12:00:00", "2024-06-10 24:00:00", "20240610 120000"}) {
    EXPECT_THAT(ParseVonageTimestamp(bad).status().message(), HasSubstr("'message-timestamp'")) << bad;
  }
}

}  // namespace
}  // namespace omnihub::sms
