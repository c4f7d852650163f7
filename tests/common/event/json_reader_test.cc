#include "common/event/json_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace omnihub::event {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// Writes down every event it is handed, numbers as their text where the parser gives it.
class Recorder final : public JsonHandler {
 public:
  std::vector<std::string> events;

  bool null() override { return Add("null"); }
  bool boolean(bool v) override { return Add(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return Add("int " + std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Add("uint " + std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return Add("float " + text); }
  bool string(string_t& v) override { return Add("\"" + v + "\""); }
  bool start_object(std::size_t) override { return Add("{"); }
  bool key(string_t& k) override { return Add(k + ":"); }
  bool end_object() override { return Add("}"); }
  bool start_array(std::size_t) override { return Add("["); }
  bool end_array() override { return Add("]"); }

 private:
  bool Add(std::string e) {
    events.push_back(std::move(e));
    return true;
  }
};

std::string Error(std::string_view text, const JsonReadOptions& options = {}) {
  Recorder recorder;
  const base::Status s = ReadJson(text, options, recorder);
  EXPECT_TRUE(s.IsInvalidArgument()) << text << " -> " << s.ToString();
  return s.message();
}

TEST(JsonReaderTest, DepthLimitIsHitWhileParsingBeforeTheRestIsRead) {
  const JsonReadOptions three{.max_depth = 3};
  EXPECT_TRUE(ReadJsonObject(R"({"a":{"b":[1]}})", three).ok());
  EXPECT_EQ(Error(R"({"a":{"b":[[1]]}})", three), "JSON nested deeper than 3 levels");
  EXPECT_EQ(Error(R"({"a":{"b":{"c":{}}}})", three), "JSON nested deeper than 3 levels");

  // A hostile text: the guard stops at the ninth level, so the handler sees eight openings and
  // the missing closing brackets at the end (a syntax error) are never reached.
  Recorder recorder;
  const std::string deep = "{\"a\":" + std::string(100000, '[');
  const base::Status s = ReadJson(deep, {}, recorder);
  EXPECT_EQ(s.message(), "JSON nested deeper than 8 levels");
  EXPECT_EQ(recorder.events.size(), 9u);  // "{", "a:", then seven "["
}

TEST(JsonReaderTest, DuplicateKeyIsRefusedInAnyObjectUnlessAllowed) {
  EXPECT_EQ(Error(R"({"a":1,"b":2,"a":3})"), "duplicate field 'a'");
  EXPECT_EQ(Error(R"({"x":[{"k":1,"k":1}]})"), "duplicate field 'k'");
  // The same name in different objects is no duplicate.
  EXPECT_TRUE(ReadJsonObject(R"({"k":{"k":1},"j":[{"k":1},{"k":2}]})").ok());

  Recorder recorder;
  ASSERT_TRUE(ReadJson(R"({"a":1,"a":2})", {.allow_duplicate_keys = true}, recorder).ok());
  EXPECT_THAT(recorder.events, ElementsAre("{", "a:", "uint 1", "a:", "uint 2", "}"));
  EXPECT_EQ(*ReadJsonObject(R"({"a":1,"a":2})", {.allow_duplicate_keys = true}), Json::parse(R"({"a":2})"));
}

TEST(JsonReaderTest, InvalidUtf8IsRefusedWithTheOffsetOfTheFirstBadByte) {
  const std::string text = "{\"a\":\"ok\xff\",\"b\":\"\xc0\xaf\"}";
  const std::string msg = Error(text, {.subject = "body"});
  EXPECT_EQ(msg, "body is not valid UTF-8 (bad byte at offset 8)");
  // Outside a string too: nlohmann alone would call it a syntax error.
  EXPECT_EQ(Error("{\"a\":1}\xc3"), "text is not valid UTF-8 (bad byte at offset 7)");
}

TEST(JsonReaderTest, TopLevelValueMustBeAnObject) {
  Recorder recorder;
  EXPECT_EQ(ReadJson("[1,2]", {.subject = "line"}, recorder).message(), "line must be a JSON object, got array");
  EXPECT_TRUE(recorder.events.empty());
  // Refused at its first event, before a defect further on.
  EXPECT_EQ(Error("[1,2"), "text must be a JSON object, got array");
  EXPECT_EQ(Error("\"text\""), "text must be a JSON object, got string");
  EXPECT_EQ(Error("null"), "text must be a JSON object, got null");
  EXPECT_EQ(Error("true"), "text must be a JSON object, got boolean");
  EXPECT_EQ(Error("-1.5"), "text must be a JSON object, got number");
}

TEST(JsonReaderTest, ParseErrorNamesLineColumnAndByteWithoutLibraryPrefix) {
  EXPECT_EQ(Error(R"({"channel": sms})", {.subject = "line"}),
            "line is not valid JSON: parse error at line 1, column 13 (byte 13): syntax error while parsing value - "
            "invalid literal; last read: '\"channel\": s'");
  const std::string multiline = Error("{\n  \"a\": 1,\n  \"b\" 2\n}");
  // nlohmann's column is off after a line break (it read ahead past the "2"); the byte is not.
  EXPECT_THAT(multiline, HasSubstr("(byte 19): syntax error while parsing object separator - unexpected number literal"));
  EXPECT_THAT(Error("{} {}"), HasSubstr("(byte 4): syntax error while parsing value - unexpected '{'; expected end of input"));
  EXPECT_THAT(Error(""), HasSubstr("text is not valid JSON: parse error at line 1, column 1 (byte 1)"));  // the end counts
  EXPECT_EQ(Error(R"({"a":1e999})"), "text is not valid JSON: parse error (byte 10): number overflow parsing '1e999'");
  for (const std::string& msg : {Error("{"), Error(R"({"a":})"), Error(R"({"a":1e999})")}) {
    EXPECT_EQ(msg.find("json.exception"), std::string::npos) << msg;
  }
}

TEST(JsonReaderTest, SaxUserKeepsNumberTextAsWritten) {
  Recorder recorder;
  ASSERT_TRUE(ReadJson(R"({"price":0.03330000,"e":1E2,"n":-7,"u":18446744073709551615})", {}, recorder).ok());
  EXPECT_THAT(recorder.events, ElementsAre("{", "price:", "float 0.03330000", "e:", "float 1E2", "n:", "int -7", "u:",
                                           "uint 18446744073709551615", "}"));
}

TEST(JsonReaderTest, HandlerRefusalBecomesTheError) {
  class NoStrings final : public JsonHandler {
   public:
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return Refuse("no strings here"); }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
  } handler;
  const base::Status s = ReadJson(R"({"a":1,"b":"x","c":"y"})", {}, handler);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "no strings here");
}

TEST(JsonReaderTest, DomMatchesTheLibraryOnWhatItAccepts) {
  const std::string good = R"({"a":[1,-2,3.5,"x",null,true,{"b":{}}],"c":{"d":[[]]},"e":"caf\u00e9"})";
  EXPECT_EQ(*ReadJsonObject(good), Json::parse(good));
  // Mutations: never a throw; whatever is accepted reads the same as nlohmann's own parse.
  std::mt19937 rng(11);
  const std::string alphabet = "{}[]\":,0-.e1atrufnl \\\xff";
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = good;
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
    }
    base::Result<Json> j = ReadJsonObject(text);
    if (!j.ok()) {
      EXPECT_TRUE(j.status().IsInvalidArgument()) << j.status().ToString();
      continue;
    }
    ++accepted;
    EXPECT_EQ(*j, Json::parse(text)) << text;
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace omnihub::event
