#include "services/social/meta/meta_mapper.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/services/social/meta/meta_test_support.h"

namespace omnihub::social {
namespace {

// A customer's text message `mid` to page 104000000000001.
std::string Text(std::string_view psid, std::string_view mid, int64_t timestamp) {
  return R"({"sender":{"id":")" + std::string(psid) + R"("},"recipient":{"id":"104000000000001"},"timestamp":)" +
         std::to_string(timestamp) + R"(,"message":{"mid":")" + std::string(mid) + R"(","text":"hello"}})";
}

TEST_F(MetaMapperTest, EveryElementOfEveryEntryIsAnEventInPayloadOrder) {
  const std::string body = R"({"object":"page","entry":[)"
                           R"({"id":"104000000000001","time":1718000000200,"messaging":[)" +
                           Text("61", "m_1", 1718000000001) + "," + Text("62", "m_2", 1718000000002) +
                           R"(]},{"id":"104000000000001","time":1718000000300,"messaging":[)" +
                           Text("63", "m_3", 1718000000003) + "," + Text("61", "m_4", 1718000000004) + "]}]}";
  MappedDelivery d = MapOk(body);
  ASSERT_EQ(d.size(), 4u);
  const char* mids[] = {"m_1", "m_2", "m_3", "m_4"};
  const char* senders[] = {"messenger:104000000000001:61", "messenger:104000000000001:62",
                           "messenger:104000000000001:63", "messenger:104000000000001:61"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(d[i].event.provider_message_id(), mids[i]);
    EXPECT_EQ(Arg(d[i].event.sender()), senders[i]);
    EXPECT_EQ(d[i].event.occurred_at_us(), (1'718'000'000'001 + static_cast<int64_t>(i)) * 1000);
    EXPECT_EQ(d[i].event.provider_fields().at(kAccountNameField), "main");
  }
}

TEST_F(MetaMapperTest, MessagingThenStandbyThenChangesOfOneEntry) {
  const std::string body =
      R"({"object":"page","entry":[{"id":"104000000000001","changes":[{"field":"feed","value":{"item":"post"}}],)"
      R"("standby":[)" +
      Text("62", "m_s", 1718000000002) + R"(],"messaging":[)" + Text("61", "m_m", 1718000000001) + "]}]}";
  MappedDelivery d = MapOk(body);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].event.provider_message_id(), "m_m");
  EXPECT_EQ(d[1].event.provider_message_id(), "m_s");
  EXPECT_EQ(d[2].event.activity(), "feed");
}

TEST_F(MetaMapperTest, AnEmptyDeliveryHasNoEvents) {
  EXPECT_TRUE(MapOk(R"({"object":"whatsapp_business_account","entry":[]})").empty());
  EXPECT_TRUE(MapOk(R"({"object":"page","entry":[{"id":"1","time":1}]})").empty());
}

TEST_F(MetaMapperTest, AnUnknownObjectIsOneActivityPerEntry) {
  MappedDelivery d = MapOk(
      R"({"object":"permissions","entry":[{"id":"4242","time":1718000005,"changes":[{"field":"ads_management","value":"granted"}]},{"id":"4343"}]})");
  ASSERT_EQ(d.size(), 2u);
  const v1::Event& e = d[0].event;
  EXPECT_EQ(e.channel(), v1::MESSENGER);
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.activity(), "unknown:permissions");
  EXPECT_EQ(e.account(), "4242");
  EXPECT_EQ(Arg(e.sender()), "meta:4242:4242");
  ASSERT_EQ(e.flags_size(), 1);
  EXPECT_EQ(e.flags(0), kBusinessPartyFlag);
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'005'000'000);
  EXPECT_EQ(d[0].raw_json,
            R"({"changes":[{"field":"ads_management","value":"granted"}],"id":"4242","time":1718000005})");
  EXPECT_EQ(d[1].event.occurred_at_us(), kReceivedUs);
  ASSERT_EQ(d[1].event.flags_size(), 2);
  EXPECT_EQ(d[1].event.flags(0), kTimeMissingFlag);
  EXPECT_EQ(d[1].event.flags(1), kBusinessPartyFlag);
}

TEST_F(MetaMapperTest, TheEnvelopeIsRequired) {
  EXPECT_EQ(MapError("not json").substr(0, 34), "request body is not valid JSON: pa");
  EXPECT_EQ(MapError("[]"), "request body must be a JSON object, got array");
  EXPECT_EQ(MapError(R"({"entry":[]})"), "object is missing");
  EXPECT_EQ(MapError(R"({"object":7,"entry":[]})"), "object must be a string");
  EXPECT_EQ(MapError(R"({"object":"page"})"), "entry is missing");
  EXPECT_EQ(MapError(R"({"object":"page","entry":{}})"), "entry must be a JSON array");
  EXPECT_EQ(MapError(R"({"object":"page","entry":[{"id":"1"},"x"]})"), "entry[1] must be a JSON object");
  EXPECT_EQ(MapError(R"({"object":"page","entry":[{"time":1}]})"), "entry[0].id is missing");
  EXPECT_EQ(MapError(R"({"object":"page","entry":[{"id":""}]})"), "entry[0].id is empty");
  EXPECT_EQ(
      MapError(R"({"object":"x","entry":[{"id":"a\u0001b"}]})"),
      "entry[0].id is invalid: user id 'a\\x01b' of platform 'meta' contains control characters or invalid UTF-8");
}

TEST_F(MetaMapperTest, ANumericEntryIdReadsAsItsDigits) {
  MappedDelivery d = MapOk(R"({"object":"page","entry":[{"id":104000000000001,"messaging":[)" +
                           Text("61", "m_1", 1718000000001) + "]}]}");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].event.account(), "104000000000001");
}

TEST_F(MetaMapperTest, HostileNestingIsRefusedNotRecursed) {
  const std::string deep = R"({"object":"page","entry":[{"id":"1","messaging":[{"x":)" + std::string(100, '[') +
                           std::string(100, ']') + "}]}]}";
  EXPECT_NE(MapError(deep).find("nest"), std::string::npos);
}

// The fuzzer's seeds are valid deliveries: each maps, so fuzzing starts from the mapping code
// rather than from the first error.
TEST_F(MetaMapperTest, FuzzSeedsMapToEvents) {
  const std::filesystem::path dir = std::filesystem::path(OMNIHUB_SOURCE_DIR) / "tests/data/social_fuzz/meta";
  const std::pair<const char*, size_t> seeds[] = {{"messenger_message.json", 1},
                                                  {"messenger_events.json", 9},
                                                  {"instagram.json", 5},
                                                  {"whatsapp_messages.json", 7},
                                                  {"whatsapp_statuses.json", 4}};
  for (const auto& [name, events] : seeds) {
    std::ifstream in(dir / name, std::ios::binary);
    ASSERT_TRUE(in.good()) << name;
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(MapOk(body).size(), events) << name;
  }
}

}  // namespace
}  // namespace omnihub::social
