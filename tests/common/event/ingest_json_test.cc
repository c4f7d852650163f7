#include "common/event/ingest_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/base/coding.h"

namespace omnihub::event {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr int64_t kNow = 1'800'000'000'000'000;
constexpr int64_t kOccurred = 1'795'428'000'000'000;  // 2026-11-23T10:00:00Z

class IngestJsonTest : public ::testing::Test {
 protected:
  base::ManualClock clock_{kNow};
  base::SeededRandom random_{42};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  event::IngestContext ctx_{normalizer_, ids_, clock_};

  // A valid inbound SMS, to be modified by each test.
  static Json Base() {
    return Json{{"channel", "sms"},
                {"account", "+14155550000"},
                {"direction", "inbound"},
                {"occurred_at", "2026-11-23T10:00:00Z"},
                {"from", {{"phone", "+14155550100"}}},
                {"text", "hi"}};
  }

  v1::Event Parse(const Json& j) { return ParseLine(j.dump()); }
  v1::Event ParseLine(std::string_view line) {
    auto r = event::ParseIngestLine(line, ctx_);
    EXPECT_TRUE(r.ok()) << line << "\n" << r.status().ToString();
    return r.ok() ? *r : v1::Event();
  }
  std::string Error(const Json& j) { return ErrorLine(j.dump()); }
  std::string ErrorLine(std::string_view line) {
    auto r = event::ParseIngestLine(line, ctx_);
    EXPECT_FALSE(r.ok()) << line << " was accepted";
    if (r.ok()) return "";
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
    return r.status().message();
  }
};

TEST_F(IngestJsonTest, MapsEveryField) {
  const Json j = {
      {"channel", "email"},
      {"account", "support@shop.example"},
      {"provider_message_id", "<abc@mail.example>"},
      {"direction", "inbound"},
      {"kind", "message"},
      {"occurred_at", "2026-11-23T11:00:00.123456+01:00"},
      {"from", {{"email", "Jane.Doe@Example.com"}, {"name", "Jane Doe"}}},
      {"to", {{{"email", "Support@Shop.example"}}, {{"phone", "(415) 555-0100"}}}},
      {"conversation", "thread-1"},
      {"subject", "Order 42"},
      {"text", "Where is my order?"},
      {"html", "<p>Where is my order?</p>"},
      {"refers_to", "<parent@mail.example>"},
      {"attachments",
       {{{"name", "photo.png"},
         {"media_type", "image/png"},
         {"size", 1234},
         {"sha256", std::string(64, 'A')},
         {"url", "https://cdn.example/photo.png"}}}},
      {"flags", {"auto-reply", "bulk"}},
  };
  const v1::Event e = Parse(j);
  EXPECT_EQ(e.event_id().size(), 16u);
  EXPECT_EQ(e.channel(), v1::EMAIL);
  EXPECT_EQ(e.account(), "support@shop.example");
  EXPECT_EQ(e.provider_message_id(), "<abc@mail.example>");
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.occurred_at_us(), kOccurred + 123'456);
  EXPECT_EQ(e.received_at_us(), kNow);
  EXPECT_EQ(e.sender().kind(), v1::Identity::EMAIL);
  EXPECT_EQ(e.sender().value(), "jane.doe@example.com");
  EXPECT_EQ(e.sender().display_name(), "Jane Doe");
  ASSERT_EQ(e.recipients_size(), 2);
  EXPECT_EQ(e.recipients(0).value(), "support@shop.example");
  EXPECT_EQ(e.recipients(1).value(), "+14155550100");
  EXPECT_EQ(e.conversation(), "thread-1");
  EXPECT_EQ(e.subject(), "Order 42");
  EXPECT_EQ(e.text(), "Where is my order?");
  EXPECT_EQ(e.html(), "<p>Where is my order?</p>");
  EXPECT_EQ(e.refers_to_provider_message_id(), "<parent@mail.example>");
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).name(), "photo.png");
  EXPECT_EQ(e.attachments(0).media_type(), "image/png");
  EXPECT_EQ(e.attachments(0).size_bytes(), 1234u);
  EXPECT_EQ(e.attachments(0).sha256(), std::string(32, '\xaa'));
  EXPECT_EQ(e.attachments(0).storage_ref(), "https://cdn.example/photo.png");
  ASSERT_EQ(e.flags_size(), 2);
  EXPECT_EQ(e.flags(1), "bulk");
}

TEST_F(IngestJsonTest, AssignsFreshIdsAndHubTime) {
  const v1::Event a = Parse(Base());
  clock_.Advance(5);
  const v1::Event b = Parse(Base());
  EXPECT_NE(a.event_id(), b.event_id());
  EXPECT_LT(a.event_id(), b.event_id());
  EXPECT_EQ(a.received_at_us(), kNow);
  EXPECT_EQ(b.received_at_us(), kNow + 5);
}

TEST_F(IngestJsonTest, DerivesProviderMessageIdFromLineBytes) {
  const std::string line =
      R"({"channel":"sms","account":"+14155550000","direction":"inbound","occurred_at":"2026-11-23T10:00:00Z",)"
      R"("from":{"phone":"+14155550100"},"text":"hi"})";
  const std::string expected = "sha256:8ca01a25ed27716d06fe981d596339f962dac8fd0db5f40a8c683af981bb9766";
  EXPECT_EQ(ParseLine(line).provider_message_id(), expected);
  // Re-sending the same line is the same message, whatever its line terminator.
  EXPECT_EQ(ParseLine(line).provider_message_id(), expected);
  EXPECT_EQ(ParseLine(line + "\n").provider_message_id(), expected);
  EXPECT_EQ(ParseLine(line + "\r\n").provider_message_id(), expected);
  // Any other byte makes another message.
  EXPECT_NE(ParseLine(line + " ").provider_message_id(), expected);
}

TEST_F(IngestJsonTest, KindDefaultsToMessageAndNoteMapsToNoteAdded) {
  EXPECT_EQ(Parse(Base()).kind(), v1::MESSAGE);
  Json j = Base();
  j["kind"] = "note";
  EXPECT_EQ(Parse(j).kind(), v1::NOTE_ADDED);
  j["refers_to"] = "SM1";  // edits, deletions and reactions name their message
  for (auto [name, kind] : std::initializer_list<std::pair<const char*, v1::EventKind>>{
           {"edit", v1::EDIT}, {"delete", v1::DELETE}, {"reaction", v1::REACTION},
           {"status", v1::STATUS}, {"activity", v1::ACTIVITY}}) {
    j["kind"] = name;
    EXPECT_EQ(Parse(j).kind(), kind) << name;
  }
}

TEST_F(IngestJsonTest, NullMeansAbsent) {
  Json j = Base();
  j["subject"] = nullptr;
  j["to"] = nullptr;
  j["kind"] = nullptr;
  const v1::Event e = Parse(j);
  EXPECT_EQ(e.subject(), "");
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  j["occurred_at"] = nullptr;
  EXPECT_EQ(Error(j), "missing required field 'occurred_at'");
}

TEST_F(IngestJsonTest, TenantIsOptionalAndCarriedInItsWireForm) {
  EXPECT_EQ(Parse(Base()).tenant_id(), "") << "no tenant: the default one";
  Json j = Base();
  j["tenant"] = "acme";
  EXPECT_EQ(Parse(j).tenant_id(), "acme");
  j["tenant"] = "default";
  EXPECT_EQ(Parse(j).tenant_id(), "") << "the default tenant's wire form is empty";
}

TEST_F(IngestJsonTest, ABadTenantIsRefusedNamingTheField) {
  Json j = Base();
  j["tenant"] = "acme corp";
  EXPECT_EQ(Error(j).rfind("field 'tenant': tenant id 'acme corp' is not valid", 0), 0u) << Error(j);
  j["tenant"] = 7;
  EXPECT_EQ(Error(j), "field 'tenant' must be a string");
  j["tenant"] = "";
  EXPECT_EQ(Error(j).rfind("field 'tenant': ", 0), 0u) << Error(j);
}

TEST_F(IngestJsonTest, PlatformIdentityIsScopedByEventAccount) {
  Json j = Base();
  j["channel"] = "telegram";
  j["account"] = "shop_bot";
  j["from"] = {{"platform", "telegram"}, {"user_id", 123456789}, {"handle", "@jane"}, {"name", "Jane"}};
  const v1::Event e = Parse(j);
  EXPECT_EQ(e.sender().kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(e.sender().platform(), "telegram");
  EXPECT_EQ(e.sender().account(), "shop_bot");
  EXPECT_EQ(e.sender().value(), "123456789");
  EXPECT_EQ(e.sender().handle(), "@jane");
  EXPECT_EQ(e.sender().display_name(), "Jane");
  // An explicit account (as omnihubctl prints it) wins.
  j["from"]["account"] = "other_bot";
  EXPECT_EQ(Parse(j).sender().account(), "other_bot");
}

TEST_F(IngestJsonTest, WhatsAppAndSmsOfOneNumberGiveTheSameCustomerIdentity) {
  Json sms = Base();
  Json wa = Base();
  wa["channel"] = "whatsapp";
  wa["from"] = {{"phone", "whatsapp:+1 415 555 0100"}};
  const v1::Event a = Parse(sms), b = Parse(wa);
  EXPECT_EQ(event::IdentityKey(a.sender()), event::IdentityKey(b.sender()));
}

TEST_F(IngestJsonTest, OutboundCustomerIsFirstRecipient) {
  Json j = Base();
  j["direction"] = "outbound";
  j["from"] = {{"phone", "+14155550000"}};
  j.erase("to");
  EXPECT_EQ(Error(j), "field 'to' is required for an outbound event (its first entry is the customer)");
  j["to"] = Json::array();
  EXPECT_THAT(Error(j), HasSubstr("field 'to' is required for an outbound event"));
  j["to"] = {{{"email", "jane@example.com"}}};
  EXPECT_EQ(Error(j), "field 'to[0]': on channel 'sms' the customer must be a phone identity, got email");
  j["to"] = {{{"phone", "+14155550100"}}};
  const v1::Event e = Parse(j);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  EXPECT_EQ(e.recipients(0).value(), "+14155550100");
}

TEST_F(IngestJsonTest, ChannelConstrainsCustomerIdentityKind) {
  Json j = Base();
  j["channel"] = "email";
  EXPECT_EQ(Error(j), "field 'from': on channel 'email' the customer must be an email identity, got phone");
  j["channel"] = "whatsapp";
  j["from"] = {{"email", "jane@example.com"}};
  EXPECT_THAT(Error(j), HasSubstr("must be a phone identity, got email"));
  j["channel"] = "telegram";
  j["from"] = {{"platform", "x"}, {"user_id", "1"}};
  EXPECT_EQ(Error(j), "field 'from': on channel 'telegram' the customer must have platform 'telegram', got 'x'");
  j["from"] = {{"phone", "+14155550100"}};
  EXPECT_THAT(Error(j), HasSubstr("must be a platform identity, got phone"));
  // api and note accept any kind.
  for (const char* channel : {"api", "note"}) {
    j["channel"] = channel;
    for (const Json& from : {Json{{"phone", "+14155550100"}}, Json{{"email", "jane@example.com"}},
                             Json{{"platform", "shopify"}, {"user_id", "c-1"}}}) {
      j["from"] = from;
      EXPECT_TRUE(event::ParseIngestLine(j.dump(), ctx_).ok()) << j.dump();
    }
  }
}

TEST_F(IngestJsonTest, RejectsUnknownFields) {
  Json j = Base();
  j["colour"] = "red";
  EXPECT_EQ(Error(j), "unknown field 'colour'");
  j = Base();
  j["from"]["colour"] = "red";
  EXPECT_EQ(Error(j), "field 'from': unknown field 'colour'");
  j = Base();
  j["attachments"] = {{{"name", "a"}, {"colour", "red"}}};
  EXPECT_EQ(Error(j), "field 'attachments[0]': unknown field 'colour'");
}

TEST_F(IngestJsonTest, RejectsMissingRequiredFields) {
  for (const char* field : {"channel", "account", "direction", "occurred_at", "from"}) {
    Json j = Base();
    j.erase(field);
    EXPECT_EQ(Error(j), std::string("missing required field '") + field + "'");
  }
}

TEST_F(IngestJsonTest, RejectsWrongTypes) {
  Json j = Base();
  j["to"] = {{"phone", "+14155550100"}};  // an object, not a list
  EXPECT_EQ(Error(j), "field 'to' must be a list of identity objects");
  j = Base();
  j["to"] = {"+14155550100"};
  EXPECT_THAT(Error(j), HasSubstr("field 'to[0]' must be an identity object"));
  j = Base();
  j["account"] = 14155550000;
  EXPECT_EQ(Error(j), "field 'account' must be a string");
  j = Base();
  j["text"] = Json::array();
  EXPECT_EQ(Error(j), "field 'text' must be a string");
  j = Base();
  j["flags"] = "bulk";
  EXPECT_EQ(Error(j), "field 'flags' must be a list of strings");
  j["flags"] = {"bulk", 3};
  EXPECT_EQ(Error(j), "field 'flags' must be a list of strings");
  j = Base();
  j["attachments"] = {{"name", "a"}};
  EXPECT_EQ(Error(j), "field 'attachments' must be a list of attachment objects");
  j = Base();
  j["from"] = "+14155550100";
  EXPECT_THAT(Error(j), HasSubstr("field 'from' must be an identity object"));
  j = Base();
  j["from"] = {{"platform", "sms"}, {"user_id", 1.5}};
  EXPECT_EQ(Error(j), "field 'from.user_id' must be a string or an integer");
}

TEST_F(IngestJsonTest, RejectsBadEnumValues) {
  Json j = Base();
  j["channel"] = "fax";
  EXPECT_EQ(Error(j),
            "field 'channel': unknown channel 'fax' (use one of email, sms, whatsapp, messenger, instagram, "
            "telegram, x, api, note)");
  j = Base();
  j["direction"] = "sideways";
  EXPECT_EQ(Error(j), "field 'direction': unknown direction 'sideways' (use one of inbound, outbound)");
  j = Base();
  j["kind"] = "poke";
  EXPECT_THAT(Error(j), HasSubstr("field 'kind': unknown kind 'poke' (use one of message, edit"));
}

TEST_F(IngestJsonTest, RejectsBadTimes) {
  Json j = Base();
  j["occurred_at"] = "2026-02-30T10:00:00Z";
  EXPECT_THAT(Error(j), HasSubstr("field 'occurred_at': invalid RFC 3339 timestamp '2026-02-30T10:00:00Z'"));
  j["occurred_at"] = "1969-12-31T23:59:59Z";
  EXPECT_EQ(Error(j), "field 'occurred_at' must be after 1970-01-01T00:00:00Z");
  j["occurred_at"] = 1795428000;
  EXPECT_EQ(Error(j), "field 'occurred_at' must be a string");
}

TEST_F(IngestJsonTest, RejectsBadIdentitiesWithNormalizerMessage) {
  Json j = Base();
  j["from"] = {{"phone", "12"}};
  EXPECT_EQ(Error(j), "field 'from': invalid phone number '12' (default region US): too short");
  j["channel"] = "email";
  j["from"] = {{"email", "jane@localhost"}};
  EXPECT_THAT(Error(j), HasSubstr("field 'from': invalid email address 'jane@localhost': domain has no dot"));
  j = Base();
  j["to"] = {{{"phone", "+14155550100"}}, {{"email", "nope"}}};
  EXPECT_THAT(Error(j), HasSubstr("field 'to[1]': invalid email address 'nope'"));
}

TEST_F(IngestJsonTest, RejectsMalformedIdentityObjects) {
  Json j = Base();
  j["from"] = {{"phone", "+14155550100"}, {"email", "jane@example.com"}};
  EXPECT_EQ(Error(j), "field 'from' must have exactly one of 'email', 'phone' or 'platform'");
  j["from"] = {{"name", "Jane"}};
  EXPECT_EQ(Error(j), "field 'from' must have exactly one of 'email', 'phone' or 'platform'");
  j["from"] = {{"phone", "+14155550100"}, {"handle", "@jane"}};
  EXPECT_EQ(Error(j), "field 'from': 'handle' is only for platform identities");
  j["from"] = {{"phone", "+14155550100"}, {"user_id", "1"}};
  EXPECT_EQ(Error(j), "field 'from': 'user_id' is only for platform identities");
  j["channel"] = "x";
  j["from"] = {{"platform", "x"}};
  EXPECT_EQ(Error(j), "field 'from': missing required field 'user_id'");
  j["from"] = {{"platform", "X Corp"}, {"user_id", "1"}};
  EXPECT_THAT(Error(j), HasSubstr("field 'from': invalid platform name 'X Corp'"));
}

TEST_F(IngestJsonTest, RejectsEmptyAccountAndProviderMessageId) {
  Json j = Base();
  j["account"] = "";
  EXPECT_EQ(Error(j), "field 'account' must not be empty");
  j = Base();
  j["provider_message_id"] = "";
  EXPECT_THAT(Error(j), HasSubstr("field 'provider_message_id' must not be empty"));
}

TEST_F(IngestJsonTest, RejectsBadAttachments) {
  Json j = Base();
  j["attachments"] = {{{"sha256", "abc"}}};
  EXPECT_EQ(Error(j), "field 'attachments[0].sha256' must be 64 hex digits");
  j["attachments"] = {{{"sha256", std::string(64, 'g')}}};
  EXPECT_EQ(Error(j), "field 'attachments[0].sha256' must be 64 hex digits");
  j["attachments"] = {{{"size", -1}}};
  EXPECT_EQ(Error(j), "field 'attachments[0].size' must be a non-negative integer");
  j["attachments"] = {{{"size", 1.5}}};
  EXPECT_EQ(Error(j), "field 'attachments[0].size' must be a non-negative integer");
  j["attachments"] = {{{"url", "a"}, {"storage_ref", "b"}}};
  EXPECT_THAT(Error(j), HasSubstr("has both 'url' and 'storage_ref'"));
  j["attachments"] = {{{"storage_ref", "blob:1"}}, {{"name", "empty.txt"}, {"size", 0}}};
  const v1::Event e = Parse(j);
  ASSERT_EQ(e.attachments_size(), 2);
  EXPECT_EQ(e.attachments(0).storage_ref(), "blob:1");
  EXPECT_TRUE(e.attachments(1).sha256().empty());
}

TEST_F(IngestJsonTest, RejectsTextThatIsNotJsonOrNotAnObject) {
  EXPECT_THAT(ErrorLine("{\"channel\": sms}"), StartsWith("not valid JSON: parse error at line 1, column 13: syntax error"));
  EXPECT_THAT(ErrorLine(""), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorLine("{\"channel\":\"sms\""), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorLine("{} {}"), HasSubstr("not valid JSON"));
  EXPECT_EQ(ErrorLine("[1,2]"), "line must be a JSON object, got array");
  EXPECT_EQ(ErrorLine("\"text\""), "line must be a JSON object, got string");
  EXPECT_EQ(ErrorLine("null"), "line must be a JSON object, got null");
}

TEST_F(IngestJsonTest, RejectsInvalidUtf8WithClearMessage) {
  std::string line = Base().dump();
  line.insert(line.find("hi"), "\xff");
  const std::string msg = ErrorLine(line);
  EXPECT_EQ(msg, "line is not valid UTF-8 (bad byte at offset " + std::to_string(line.find('\xff')) +
                     "); the ingest format is UTF-8 JSON");
  EXPECT_EQ(msg.find('\xff'), std::string::npos);
}

TEST_F(IngestJsonTest, RejectsDuplicateKeysAndDeepNesting) {
  EXPECT_EQ(ErrorLine(R"({"channel":"sms","channel":"email"})"), "duplicate field 'channel'");
  EXPECT_EQ(ErrorLine(R"({"from":{"phone":"1","phone":"2"}})"), "duplicate field 'phone'");
  // Inside the object: a top-level array is refused as such before its depth matters.
  const std::string deep = "{\"provider_fields\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_EQ(ErrorLine(deep), "JSON nested deeper than 8 levels");
}

TEST_F(IngestJsonTest, NeverThrowsOnMutatedInput) {
  const std::string good = Base().dump();
  std::mt19937 rng(7);
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string line = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const size_t pos = rng() % line.size();
      switch (rng() % 3) {
        case 0:
          line[pos] = static_cast<char>(rng() % 256);
          break;
        case 1:
          line.erase(pos, 1 + rng() % 8);
          break;
        default:
          line.insert(pos, 1, "{}[]\":,0a\\"[rng() % 10]);
      }
      if (line.empty()) line = "x";
    }
    auto r = event::ParseIngestLine(line, ctx_);  // must return, never throw or crash
    if (r.ok()) {
      ++accepted;
    } else {
      EXPECT_TRUE(r.status().IsInvalidArgument()) << line << ": " << r.status().ToString();
    }
  }
  EXPECT_LT(accepted, 3000);
}

// A delivery report on an earlier outbound SMS.
Json StatusLine() {
  return Json{{"channel", "sms"},
              {"account", "+14155550000"},
              {"kind", "status"},
              {"direction", "outbound"},
              {"occurred_at", "2026-11-23T10:05:03Z"},
              {"from", {{"phone", "+14155550000"}}},
              {"to", {{{"phone", "+14155550100"}}}},
              {"refers_to", "SM8f2c"},
              {"delivery_status", {{"state", "failed"}, {"error_code", "30003"}, {"detail", "Unreachable"}}}};
}

TEST_F(IngestJsonTest, MapsDeliveryStatusAndProviderFields) {
  Json j = StatusLine();
  j["provider_fields"] = {{"NumSegments", "2"}, {"ErrorMessage", "Unreachable destination handset"}};
  const v1::Event e = Parse(j);
  EXPECT_EQ(e.kind(), v1::STATUS);
  EXPECT_EQ(e.refers_to_provider_message_id(), "SM8f2c");
  EXPECT_EQ(e.delivery_status().state(), "failed");
  EXPECT_EQ(e.delivery_status().stage(), 50);  // known word: no "stage" needed
  EXPECT_EQ(e.delivery_status().error_code(), "30003");
  EXPECT_EQ(e.delivery_status().detail(), "Unreachable");
  ASSERT_EQ(e.provider_fields().size(), 2u);
  EXPECT_EQ(e.provider_fields().at("NumSegments"), "2");
}

TEST_F(IngestJsonTest, ReferredByIsKeptAsAProviderField) {
  Json j = StatusLine();
  j["provider_fields"] = {{"NumSegments", "2"}};
  j["referred_by"] = "partner:acme-marketplace";
  const v1::Event e = Parse(j);
  ASSERT_EQ(e.provider_fields().size(), 2u);
  EXPECT_EQ(e.provider_fields().at("referred_by"), "partner:acme-marketplace");
  EXPECT_EQ(e.provider_fields().at("NumSegments"), "2");
  // Printed events carry it in provider_fields: the same value there as well is not a conflict.
  j["provider_fields"] = {{"referred_by", "partner:acme-marketplace"}};
  EXPECT_EQ(Parse(j).provider_fields().at("referred_by"), "partner:acme-marketplace");
  j.erase("provider_fields");
  j["referred_by"] = nullptr;
  EXPECT_TRUE(Parse(j).provider_fields().empty());
}

TEST_F(IngestJsonTest, BadReferredByIsAnErrorNamingTheKey) {
  Json j = StatusLine();
  j["referred_by"] = 42;
  EXPECT_EQ(Error(j), "field 'referred_by' must be a string");
  j["referred_by"] = {{"partner", "acme"}};
  EXPECT_EQ(Error(j), "field 'referred_by' must be a string");
  j["referred_by"] = "";
  EXPECT_EQ(Error(j), "field 'referred_by' must not be empty (omit it instead)");
  j["referred_by"] = "partner:acme";
  j["provider_fields"] = {{"referred_by", "partner:other"}};
  EXPECT_EQ(Error(j), "field 'referred_by' differs from provider_fields.referred_by (give it once)");
}

TEST_F(IngestJsonTest, StageDefaultsFromKnownStatesAndIsRequiredOtherwise) {
  for (const auto& [state, stage] : std::vector<std::pair<std::string, int>>{
           {"accepted", 10}, {"queued", 20}, {"sending", 30}, {"sent", 40}, {"Delivered", 50},
           {"undelivered", 50}, {"partially_delivered", 50}, {"read", 60}}) {
    Json j = StatusLine();
    j["delivery_status"] = {{"state", state}};
    EXPECT_EQ(Parse(j).delivery_status().stage(), stage) << state;
  }
  Json j = StatusLine();
  j["delivery_status"] = {{"state", "delivered"}, {"stage", 55}};
  EXPECT_EQ(Parse(j).delivery_status().stage(), 55);  // an explicit stage wins
  j["delivery_status"] = {{"state", "carrier_ack"}};
  EXPECT_THAT(Error(j), HasSubstr("field 'delivery_status.stage' is required for state 'carrier_ack'"));
  j["delivery_status"] = {{"state", "carrier_ack"}, {"stage", 45}};
  EXPECT_EQ(Parse(j).delivery_status().stage(), 45);
}

TEST_F(IngestJsonTest, RejectsBadDeliveryStatusAndProviderFields) {
  Json j = StatusLine();
  j["delivery_status"] = "delivered";
  EXPECT_THAT(Error(j), HasSubstr("field 'delivery_status' must be an object"));
  j["delivery_status"] = {{"stage", 50}};
  EXPECT_EQ(Error(j), "field 'delivery_status': missing required field 'state'");
  j["delivery_status"] = {{"state", "sent"}, {"colour", "red"}};
  EXPECT_EQ(Error(j), "field 'delivery_status': unknown field 'colour'");
  j["delivery_status"] = {{"state", "sent"}, {"stage", -1}};
  EXPECT_THAT(Error(j), HasSubstr("field 'delivery_status.stage' must be a non-negative integer"));
  j["delivery_status"] = {{"state", "sent"}, {"stage", 4.5}};
  EXPECT_THAT(Error(j), HasSubstr("field 'delivery_status.stage' must be a non-negative integer"));
  j["delivery_status"] = {{"state", 3}};
  EXPECT_EQ(Error(j), "field 'delivery_status.state' must be a string");
  j["delivery_status"] = {{"state", ""}, {"stage", 1}};
  EXPECT_EQ(Error(j), "field 'delivery_status.state' must not be empty");

  j = StatusLine();
  j["provider_fields"] = Json::array({"a"});
  EXPECT_EQ(Error(j), "field 'provider_fields' must be an object of strings");
  j["provider_fields"] = {{"NumSegments", 2}};
  EXPECT_EQ(Error(j), "field 'provider_fields.NumSegments' must be a string");

  j = Base();  // a message
  j["delivery_status"] = {{"state", "sent"}};
  EXPECT_EQ(Error(j), "field 'delivery_status' is only for status events");
}

}  // namespace
}  // namespace omnihub::event
