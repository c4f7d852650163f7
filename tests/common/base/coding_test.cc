#include "common/base/coding.h"

#include <gtest/gtest.h>

#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace omnihub::base {
namespace {

TEST(CodingTest, Fixed64RoundTripsAndSortsNumerically) {
  std::vector<uint64_t> values = {0, 1, 255, 256, 1ULL << 32, std::numeric_limits<uint64_t>::max()};
  std::string prev;
  for (uint64_t v : values) {
    std::string enc;
    base::PutFixed64BE(&enc, v);
    ASSERT_EQ(enc.size(), 8u);
    if (!prev.empty()) {
      EXPECT_LT(prev, enc) << v;
    }
    prev = enc;
    std::string_view in(enc);
    uint64_t out = 0;
    ASSERT_TRUE(base::GetFixed64BE(&in, &out));
    EXPECT_EQ(out, v);
    EXPECT_TRUE(in.empty());
  }
}

TEST(CodingTest, OrderedInt64SortsNegativeBeforePositive) {
  std::vector<int64_t> values = {std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 1700000000000000,
                                 std::numeric_limits<int64_t>::max()};
  std::string prev;
  for (int64_t v : values) {
    std::string enc;
    base::PutOrderedInt64(&enc, v);
    if (!prev.empty()) {
      EXPECT_LT(prev, enc) << v;
    }
    prev = enc;
    std::string_view in(enc);
    int64_t out = 0;
    ASSERT_TRUE(base::GetOrderedInt64(&in, &out));
    EXPECT_EQ(out, v);
  }
}

TEST(CodingTest, ShortInputFailsCleanly) {
  std::string_view in("\x01\x02\x03", 3);
  uint64_t v = 0;
  EXPECT_FALSE(base::GetFixed64BE(&in, &v));
  std::string_view lp("\x05" "abc", 4);
  std::string_view s;
  EXPECT_FALSE(base::GetLengthPrefixed(&lp, &s));
  std::string_view bad_varint("\xff\xff", 2);
  EXPECT_FALSE(base::GetVarint64(&bad_varint, &v));
}

TEST(CodingTest, VarintAndLengthPrefixedRoundTrip) {
  std::string enc;
  base::PutVarint64(&enc, 300);
  base::PutLengthPrefixed(&enc, "hello");
  std::string_view in(enc);
  uint64_t v = 0;
  std::string_view s;
  ASSERT_TRUE(base::GetVarint64(&in, &v));
  ASSERT_TRUE(base::GetLengthPrefixed(&in, &s));
  EXPECT_EQ(v, 300u);
  EXPECT_EQ(s, "hello");
}

TEST(CodingTest, Base64UrlRoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    const std::string enc = base::Base64UrlEncode(data);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    std::string dec;
    ASSERT_TRUE(base::Base64UrlDecode(enc, &dec));
    EXPECT_EQ(dec, data);
    data.push_back(static_cast<char>(i * 37));
  }
  std::string out;
  EXPECT_FALSE(base::Base64UrlDecode("ab$d", &out));
  EXPECT_FALSE(base::Base64UrlDecode("abcde", &out));
}

TEST(CodingTest, Base64DecodesRfc4648VectorsWithPadding) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"Zg==", "f"},         {"Zm8=", "fo"},       {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"}, {"Zm9vYmFy", "foobar"}, {"+/8=", "\xfb\xff"}};
  for (const auto& [text, bytes] : vectors) {
    std::string out;
    ASSERT_TRUE(base::Base64Decode(text, &out)) << text;
    EXPECT_EQ(out, bytes) << text;
  }
  std::string out;
  EXPECT_FALSE(base::Base64Decode("Zg", &out));    // unpadded
  EXPECT_FALSE(base::Base64Decode("Zm-_", &out));  // the URL-safe alphabet
  EXPECT_FALSE(base::Base64Decode("Z===", &out));  // more padding than a quantum has
}

TEST(CodingTest, HexRoundTripAndRejectsGarbage) {
  std::string out;
  EXPECT_EQ(base::HexEncode(std::string_view("\x00\xff\x10", 3)), "00ff10");
  ASSERT_TRUE(base::HexDecode("00ff10", &out));
  EXPECT_EQ(out, std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(base::HexDecode("0", &out));
  EXPECT_FALSE(base::HexDecode("zz", &out));
}

}  // namespace
}  // namespace omnihub::base
