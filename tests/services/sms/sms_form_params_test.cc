#include "services/sms/form_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace omnihub::sms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(SmsFormParamsTest, DecodesTwilioBodyInOrder) {
  auto p = ParseFormParams(
      "MessageSid=MM0123&From=%2B14017122661&To=%2B15558675310&Body=Where+is+my+order%3F&NumMedia=1&"
      "MediaUrl0=https%3A%2F%2Fapi.twilio.com%2FMedia%2FME1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(*p, ElementsAre(Pair("MessageSid", "MM0123"), Pair("From", "+14017122661"), Pair("To", "+15558675310"),
                              Pair("Body", "Where is my order?"), Pair("NumMedia", "1"),
                              Pair("MediaUrl0", "https://api.twilio.com/Media/ME1")));
}

TEST(SmsFormParamsTest, KeepsDuplicatesAndSkipsEmptySegments) {
  auto p = ParseFormParams("Digits=5678&&Digits=1234&flag&eq=a=b&&");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(*p, ElementsAre(Pair("Digits", "5678"), Pair("Digits", "1234"), Pair("flag", ""), Pair("eq", "a=b")));
  EXPECT_TRUE(ParseFormParams("")->empty());
  EXPECT_THAT(*ParseFormParams("a+b%20c=%E2%82%AC"), ElementsAre(Pair("a b c", "\xE2\x82\xAC")));
}

TEST(SmsFormParamsTest, RejectsMalformedEscapesNamingTheParameter) {
  EXPECT_EQ(ParseFormParams("To=1&Body=100%").status().message(), "parameter 'Body': malformed %-escape in its value");
  EXPECT_THAT(ParseFormParams("Body=%zz").status().message(), HasSubstr("'Body'"));
  EXPECT_THAT(ParseFormParams("Bo%dy=1").status().message(), HasSubstr("parameter name 'Bo%dy'"));
  EXPECT_TRUE(ParseFormParams("Body=%zz").status().IsInvalidArgument());
}

TEST(SmsFormParamsTest, RejectsInvalidUtf8NamingTheParameter) {
  EXPECT_EQ(ParseFormParams("Body=%FF%FE").status().message(), "parameter 'Body' is not valid UTF-8");
  EXPECT_THAT(ParseFormParams("text=%C0%AF").status().message(), HasSubstr("'text' is not valid UTF-8"));  // overlong
  EXPECT_THAT(ParseFormParams("%FF=1").status().message(), HasSubstr("parameter name"));
}

TEST(SmsFormParamsTest, FindParamReturnsTheFirstValue) {
  auto p = ParseFormParams("a=1&b=2&a=3");
  ASSERT_TRUE(p.ok());
  ASSERT_NE(FindParam(*p, "a"), nullptr);
  EXPECT_EQ(*FindParam(*p, "a"), "1");
  EXPECT_EQ(FindParam(*p, "c"), nullptr);
  EXPECT_EQ(ParamOrEmpty(*p, "b"), "2");
  EXPECT_EQ(ParamOrEmpty(*p, "c"), "");
  EXPECT_EQ(FindParam(*p, "A"), nullptr);  // names are case-sensitive
}

TEST(SmsFormParamsTest, JsonObjectValuesBecomeText) {
  auto p = ParseJsonObjectParams(
      R"({"msisdn":"447700900001","concat-part":2,"price":0.03330000,"neg":-5,"big":18446744073709551615,)"
      R"("concat":true,"off":false,"none":null,"text":"caf\u00e9 \"ok\""})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(*p, ElementsAre(Pair("msisdn", "447700900001"), Pair("concat-part", "2"), Pair("price", "0.03330000"),
                              Pair("neg", "-5"), Pair("big", "18446744073709551615"), Pair("concat", "true"),
                              Pair("off", "false"), Pair("none", ""), Pair("text", "caf\xC3\xA9 \"ok\"")));
  EXPECT_TRUE(ParseJsonObjectParams(" {} ")->empty());
}

TEST(SmsFormParamsTest, JsonRejectsAnythingButAFlatObject) {
  EXPECT_THAT(ParseJsonObjectParams(R"({"a":{"b":1}})").status().message(), HasSubstr("parameter 'a' is an object"));
  EXPECT_THAT(ParseJsonObjectParams(R"({"a":1,"list":[1]})").status().message(), HasSubstr("parameter 'list' is an array"));
  EXPECT_THAT(ParseJsonObjectParams(R"({"a":[{"b":{}}]})").status().message(), HasSubstr("parameter 'a' is an array"));
  EXPECT_EQ(ParseJsonObjectParams("[1,2]").status().message(), "JSON body must be a JSON object, got array");
  EXPECT_EQ(ParseJsonObjectParams("\"text\"").status().message(), "JSON body must be a JSON object, got string");
  EXPECT_THAT(ParseJsonObjectParams(R"({"a":1)").status().message(),
              HasSubstr("JSON body: malformed JSON: parse error at line 1, column 7 (byte 7): "));
  EXPECT_THAT(ParseJsonObjectParams(R"({"a":1} x)").status().message(), HasSubstr("malformed JSON"));
  EXPECT_THAT(ParseJsonObjectParams("").status().message(), HasSubstr("malformed JSON"));
  EXPECT_EQ(ParseJsonObjectParams("{\"a\":\"\xFF\"}").status().message(),
            "JSON body is not valid UTF-8 (bad byte at offset 6)");
  EXPECT_TRUE(ParseJsonObjectParams("{").status().IsInvalidArgument());
}

TEST(SmsFormParamsTest, JsonAndFormBothKeepANameGivenTwiceInOrder) {
  auto json = ParseJsonObjectParams(R"({"msisdn":"447700900001","text":"x","msisdn":"447700900002"})");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_THAT(*json, ElementsAre(Pair("msisdn", "447700900001"), Pair("text", "x"), Pair("msisdn", "447700900002")));
  EXPECT_EQ(*FindParam(*json, "msisdn"), "447700900001");
  auto form = ParseFormParams("msisdn=1&msisdn=2");
  ASSERT_TRUE(form.ok());
  EXPECT_THAT(*form, ElementsAre(Pair("msisdn", "1"), Pair("msisdn", "2")));
}

TEST(SmsFormParamsTest, SurvivesArbitraryBytes) {
  // Deterministic garbage over the characters that matter to both parsers.
  const std::string alphabet = "=&%+aZ09{}[]\":,\\ \xff\xc3\x80tn";
  std::mt19937 rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string input;
    const int len = static_cast<int>(rng() % 40);
    for (int i = 0; i < len; ++i) input += alphabet[rng() % alphabet.size()];
    auto form = ParseFormParams(input);
    auto json = ParseJsonObjectParams(input);
    EXPECT_TRUE(form.ok() || form.status().IsInvalidArgument());
    EXPECT_TRUE(json.ok() || json.status().IsInvalidArgument());
  }
}

}  // namespace
}  // namespace omnihub::sms
