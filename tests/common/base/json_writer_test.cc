#include "common/base/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace omnihub::base {
namespace {

using Json = nlohmann::json;

std::string Written(std::string_view s) {
  JsonWriter w;
  w.String(s);
  return w.Release();
}

TEST(JsonWriterTest, EscapesEveryAsciiByteAsDumpDoes) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all.push_back('\0');
  EXPECT_EQ(Written(all), Json(all).dump());
}

TEST(JsonWriterTest, KeepsUtf8AndReplacesEachBadByte) {
  EXPECT_EQ(Written("Grüße ✓ שלום 你好 😀"), Json("Grüße ✓ שלום 你好 😀").dump());
  // A lone continuation byte, a truncated sequence and an overlong form: one U+FFFD per byte.
  EXPECT_EQ(Written("a\x80" "b\xE2\x82" "c\xC0\xAF"), "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(Json::parse(Written("\xFF\xFE")), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonWriterTest, PlacesCommasInNestedObjectsAndArrays) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(-1);
  w.UInt(18446744073709551615ULL);
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.Null();
  w.EndArray();
  w.MemberBool("b", false);
  w.Member("c", "x");
  w.Key("d");
  w.Raw(R"({"e":[1,2]})");
  w.EndObject();
  EXPECT_EQ(w.text(), R"({"a":[-1,18446744073709551615,{},[],null],"b":false,"c":"x","d":{"e":[1,2]}})");
  EXPECT_EQ(Json::parse(w.text()).dump(), w.text());
}

}  // namespace
}  // namespace omnihub::base
