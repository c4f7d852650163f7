#include "common/event/event_json.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "common/event/enum_names.h"
#include "common/event/ingest_json.h"
#include "common/base/uuid.h"

namespace omnihub::event {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

class EventJsonTest : public ::testing::Test {
 protected:
  base::ManualClock clock_{1'800'000'000'000'000};
  base::SeededRandom random_{1};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  event::IngestContext ctx_{normalizer_, ids_, clock_};

  v1::Event Ingest(const Json& j) {
    auto r = event::ParseIngestLine(j.dump(), ctx_);
    EXPECT_TRUE(r.ok()) << j.dump() << "\n" << r.status().ToString();
    return r.ok() ? *r : v1::Event();
  }

  // An event that uses every field the ingest format can carry.
  v1::Event Full() {
    return Ingest({{"channel", "telegram"},
                   {"account", "shop_bot"},
                   {"provider_message_id", "chat42:1001"},
                   {"direction", "outbound"},
                   {"kind", "edit"},
                   {"occurred_at", "2026-11-23T10:00:00.250Z"},
                   {"from", {{"platform", "telegram"}, {"user_id", "bot1"}, {"name", "Shop"}}},
                   {"to",
                    {{{"platform", "telegram"}, {"user_id", "777"}, {"handle", "@jane"}, {"name", "Jane"}},
                     {{"email", "jane@example.com"}, {"name", "Jane D"}},
                     {{"phone", "+14155550100"}}}},
                   {"conversation", "chat42"},
                   {"subject", "Re: order"},
                   {"text", "Grüße ✓"},
                   {"html", "<b>hi</b>"},
                   {"refers_to", "chat42:1000"},
                   {"attachments",
                    {{{"name", "a.pdf"},
                      {"media_type", "application/pdf"},
                      {"size", 99},
                      {"sha256", std::string(64, 'b')},
                      {"url", "blob:abc"}},
                     {{"name", ""}, {"media_type", "image/png"}, {"size", 0}}}},
                   {"flags", {"edited"}}});
  }
};

TEST_F(EventJsonTest, IdentityToJsonHasIngestShape) {
  EXPECT_EQ(event::IdentityToJson(*normalizer_.Email("Jane <jane@example.com>")),
            (Json{{"email", "jane@example.com"}, {"name", "Jane"}}));
  EXPECT_EQ(event::IdentityToJson(*normalizer_.Phone("+14155550100")), (Json{{"phone", "+14155550100"}}));
  EXPECT_EQ(event::IdentityToJson(*normalizer_.Platform("x", "acct", "42", "@jane")),
            (Json{{"platform", "x"}, {"account", "acct"}, {"user_id", "42"}, {"handle", "@jane"}}));
}

TEST_F(EventJsonTest, AlwaysHasTheCoreKeys) {
  v1::Event e = Ingest({{"channel", "sms"},
                        {"account", "+14155550000"},
                        {"provider_message_id", "SM1"},
                        {"direction", "inbound"},
                        {"occurred_at", "2026-11-23T10:00:00Z"},
                        {"from", {{"phone", "+14155550100"}}}});
  const Json j = event::EventToJson(e, "cust-1");
  for (const char* key : {"event_id", "customer_id", "channel", "account", "provider_message_id", "direction", "kind",
                          "occurred_at", "received_at", "from", "to", "conversation", "subject", "text"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  for (const char* key :
       {"html", "quoted_text_trimmed", "full_text", "attachments", "raw", "refers_to", "flags"}) {
    EXPECT_FALSE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["event_id"], base::UuidToString(e.event_id()));
  EXPECT_EQ(j["customer_id"], "cust-1");
  EXPECT_EQ(j["channel"], "sms");
  EXPECT_EQ(j["direction"], "inbound");
  EXPECT_EQ(j["kind"], "message");
  EXPECT_EQ(j["occurred_at"], "2026-11-23T10:00:00.000000Z");
  EXPECT_EQ(j["received_at"], "2027-01-15T08:00:00.000000Z");
  EXPECT_EQ(j["to"], Json::array());
  EXPECT_EQ(j["text"], "");
}

TEST_F(EventJsonTest, OptionalKeysAppearWhenSet) {
  v1::Event e = Full();
  e.set_quoted_text_trimmed(true);
  e.set_full_text("Grüße ✓\n> old");
  e.mutable_raw()->set_store("blob");
  e.mutable_raw()->set_key("k1");
  e.mutable_raw()->set_size_bytes(10);
  e.mutable_raw()->set_media_type("application/json");
  const Json j = event::EventToJson(e, "c");
  EXPECT_EQ(j["html"], "<b>hi</b>");
  EXPECT_EQ(j["quoted_text_trimmed"], true);
  EXPECT_EQ(j["full_text"], "Grüße ✓\n> old");
  EXPECT_EQ(j["refers_to"], "chat42:1000");
  EXPECT_EQ(j["flags"], Json::array({"edited"}));
  EXPECT_EQ(j["kind"], "edit");
  EXPECT_EQ(j["attachments"][0],
            (Json{{"name", "a.pdf"}, {"media_type", "application/pdf"}, {"size", 99},
                  {"sha256", std::string(64, 'b')}, {"storage_ref", "blob:abc"}}));
  EXPECT_EQ(j["attachments"][1], (Json{{"name", ""}, {"media_type", "image/png"}, {"size", 0}}));
  EXPECT_EQ(j["raw"], (Json{{"store", "blob"}, {"key", "k1"}, {"size", 10}, {"media_type", "application/json"},
                            {"compression", ""}}));
}

TEST_F(EventJsonTest, PrintedEventParsesBackIntoEqualEvent) {
  const v1::Event original = Full();
  Json j = event::EventToJson(original, "cust-9");
  j.erase("event_id");
  j.erase("customer_id");
  j.erase("received_at");
  clock_.Advance(1'000'000);
  v1::Event back = Ingest(j);
  EXPECT_NE(back.event_id(), original.event_id());
  back.set_event_id(original.event_id());
  back.set_received_at_us(original.received_at_us());
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(original, back)) << diff;
}

TEST_F(EventJsonTest, InvalidUtf8IsReplacedSoDumpCannotThrow) {
  v1::Event e = Full();
  e.set_text("a\xff" "b");
  e.mutable_sender()->set_display_name("\xc3");
  const Json j = event::EventToJson(e, "c");
  EXPECT_EQ(j["text"], "a\xEF\xBF\xBD" "b");
  EXPECT_NO_THROW((void)j.dump());
}

TEST_F(EventJsonTest, MissingSenderPrintsNull) {
  v1::Event e = Full();
  e.clear_sender();
  EXPECT_TRUE(event::EventToJson(e, "c")["from"].is_null());
}

TEST(EnumNamesTest, NamesParseBack) {
  for (int c = v1::Channel_MIN + 1; c <= v1::Channel_MAX; ++c) {
    const auto channel = static_cast<v1::Channel>(c);
    auto back = event::ParseChannel(event::ChannelName(channel));
    ASSERT_TRUE(back.ok()) << event::ChannelName(channel);
    EXPECT_EQ(*back, channel);
  }
  for (int k = v1::EventKind_MIN + 1; k <= v1::EventKind_MAX; ++k) {
    const auto kind = static_cast<v1::EventKind>(k);
    auto back = event::ParseEventKind(event::EventKindName(kind));
    ASSERT_TRUE(back.ok()) << event::EventKindName(kind);
    EXPECT_EQ(*back, kind);
  }
  EXPECT_EQ(*event::ParseDirection("inbound"), v1::INBOUND);
  EXPECT_EQ(*event::ParseDirection("OUTBOUND"), v1::OUTBOUND);
  EXPECT_EQ(event::ChannelName(v1::WHATSAPP), "whatsapp");
  EXPECT_EQ(event::ChannelName(v1::X), "x");
  EXPECT_EQ(event::EventKindName(v1::NOTE_ADDED), "note");
  EXPECT_EQ(event::IdentityKindName(v1::Identity::PHONE), "phone");
  EXPECT_EQ(event::IdentityKindName(v1::Identity::PLATFORM), "platform");
  EXPECT_EQ(event::ChannelName(v1::CHANNEL_UNSPECIFIED), "unspecified");
  EXPECT_EQ(event::ChannelName(static_cast<v1::Channel>(99)), "unknown");
}

TEST(EnumNamesTest, UnknownNamesListTheChoices) {
  EXPECT_EQ(event::ParseChannel("fax").status().message(),
            "unknown channel 'fax' (use one of email, sms, whatsapp, messenger, instagram, telegram, x, api, note)");
  EXPECT_FALSE(event::ParseChannel("unspecified").ok());
  EXPECT_FALSE(event::ParseEventKind("note_added").ok());
  EXPECT_THAT(event::ParseChannel(std::string(500, 'z')).status().message(), HasSubstr("..."));
  EXPECT_LT(event::ParseChannel(std::string(500, 'z')).status().message().size(), 200u);
}

TEST_F(EventJsonTest, StatusEventPrintsDeliveryStatusAndProviderFieldsAndParsesBack) {
  const v1::Event original = Ingest({{"channel", "sms"},
                                     {"account", "+14155550000"},
                                     {"provider_message_id", "SM1/failed/30003"},
                                     {"kind", "status"},
                                     {"direction", "outbound"},
                                     {"occurred_at", "2026-11-23T10:05:03Z"},
                                     {"from", {{"phone", "+14155550000"}}},
                                     {"to", {{{"phone", "+14155550100"}}}},
                                     {"refers_to", "SM1"},
                                     {"delivery_status", {{"state", "failed"}, {"error_code", "30003"}}},
                                     {"provider_fields", {{"NumSegments", "1"}}}});
  Json j = event::EventToJson(original, "c");
  EXPECT_EQ(j["delivery_status"], (Json{{"state", "failed"}, {"stage", 50}, {"error_code", "30003"}, {"detail", ""}}));
  EXPECT_EQ(j["provider_fields"], (Json{{"NumSegments", "1"}}));
  EXPECT_FALSE(event::EventToJson(Full(), "c").contains("delivery_status"));
  EXPECT_FALSE(event::EventToJson(Full(), "c").contains("provider_fields"));

  j.erase("event_id");
  j.erase("customer_id");
  j.erase("received_at");
  v1::Event back = Ingest(j);
  back.set_event_id(original.event_id());
  back.set_received_at_us(original.received_at_us());
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(original, back)) << diff;
}

TEST_F(EventJsonTest, MessageWithStatusesGetsCurrentStatusAndLifeList) {
  google::protobuf::RepeatedPtrField<v1::Event> statuses;
  for (const auto& [state, stage, at] : std::vector<std::tuple<std::string, int, int64_t>>{
           {"sent", 40, 1'795'428'303'000'000}, {"undelivered", 50, 1'795'428'304'500'000}}) {
    v1::Event* s = statuses.Add();
    s->set_kind(v1::STATUS);
    s->set_occurred_at_us(at);
    s->mutable_delivery_status()->set_state(state);
    s->mutable_delivery_status()->set_stage(stage);
  }
  statuses[1].mutable_delivery_status()->set_error_code("30003");
  statuses[1].mutable_delivery_status()->set_detail("Unreachable destination handset");
  Json j = event::EventToJson(Full(), "c", {.statuses = &statuses});
  EXPECT_EQ(j["status"], "undelivered");
  EXPECT_EQ(j["statuses"],
            Json::parse(R"([{"state":"sent","stage":40,"error_code":"","detail":"","at":"2026-11-23T10:05:03.000000Z"},
                            {"state":"undelivered","stage":50,"error_code":"30003",
                             "detail":"Unreachable destination handset","at":"2026-11-23T10:05:04.500000Z"}])"));

  const google::protobuf::RepeatedPtrField<v1::Event> none;
  Json without = event::EventToJson(Full(), "c", {.statuses = &none});
  EXPECT_FALSE(without.contains("status"));
  EXPECT_FALSE(without.contains("statuses"));
}

// The API answers the writer's text and omnihubctl prints dump() of the parsed object: both are
// the same text only when the writer puts every member, also the annotations', in key order.
TEST_F(EventJsonTest, WrittenTextIsDumpOfItsObject) {
  v1::Event e = Full();
  (*e.mutable_provider_fields())["b"] = "2";
  (*e.mutable_provider_fields())["a"] = "1\n\x01";
  e.mutable_delivery_status()->set_state("sent");
  e.mutable_delivery_status()->set_watermark_us(1'795'428'303'000'000);
  e.mutable_reaction()->set_emoji("👍");
  e.mutable_reaction()->set_removed(true);
  e.set_activity("typing");
  e.set_quoted_text_trimmed(true);
  e.set_full_text("full \"text\"");
  e.mutable_raw()->set_store("blobs");
  e.mutable_raw()->set_key("k");
  auto* link = e.add_party_links();
  *link->mutable_identity() = *normalizer_.Phone("+14155550100");
  link->set_reason("own_contact");
  e.set_subject("bad \xC0 byte");

  google::protobuf::RepeatedPtrField<v1::Event> statuses;
  statuses.Add()->mutable_delivery_status()->set_state("delivered");
  v1::MessageAmendments amended;
  amended.set_edited(true);
  amended.mutable_current()->set_text("now");
  amended.mutable_current()->set_at_us(1'795'428'304'000'000);
  amended.add_history()->set_text("before");
  amended.set_deleted(true);
  amended.set_deleted_at_us(1'795'428'305'000'000);
  for (const char* emoji : {"❤", "👍", "❤"}) {
    auto* r = amended.add_reactions();
    r->set_emoji(emoji);
    *r->mutable_reactor() = *normalizer_.Email("ana@example.com");
  }

  base::JsonWriter w;
  WriteEventJson(w, e, "c", {.statuses = &statuses, .amendments = &amended});
  const Json j = Json::parse(w.text());
  EXPECT_EQ(j.dump(), w.text());
  EXPECT_EQ(j["text"], "now");
  EXPECT_EQ(j["history"], Json::parse(R"([{"at":"1970-01-01T00:00:00.000000Z","text":"before"}])"));
  EXPECT_EQ(j["reactions"], Json::parse(R"([{"by":["email:ana@example.com","email:ana@example.com"],"count":2,"emoji":"❤"},
                                             {"by":["email:ana@example.com"],"count":1,"emoji":"👍"}])"));
  EXPECT_EQ(j["status"], "delivered");
  EXPECT_EQ(j["deleted"], true);
  EXPECT_EQ(j["provider_fields"], (Json{{"a", "1\n\x01"}, {"b", "2"}}));
  EXPECT_EQ(j["subject"], "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(j, EventToJson(e, "c", {.statuses = &statuses, .amendments = &amended}));
}

}  // namespace
}  // namespace omnihub::event
