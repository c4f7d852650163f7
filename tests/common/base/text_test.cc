#include "common/base/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace omnihub::base {
namespace {

using ::testing::HasSubstr;

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(base::IsValidUtf8(""));
  EXPECT_TRUE(base::IsValidUtf8("plain ascii"));
  EXPECT_TRUE(base::IsValidUtf8("Bücher \xe2\x82\xac \xf0\x9f\x98\x80"));
  size_t offset = 99;
  EXPECT_FALSE(base::IsValidUtf8("ab\xff", &offset));
  EXPECT_EQ(offset, 2u);
  EXPECT_FALSE(base::IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(base::IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(base::IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(base::IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(base::IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(base::IsValidUtf8("\x80"));              // lone continuation byte
}

TEST(TextTest, QuoteForMessageEscapesAndTruncates) {
  EXPECT_EQ(base::QuoteForMessage("a\nb"), "'a\\x0ab'");
  EXPECT_EQ(base::QuoteForMessage("a\xff"), "'a\\xff'");
  EXPECT_EQ(base::QuoteForMessage("Bücher"), "'Bücher'");
  const std::string quoted = base::QuoteForMessage(std::string(500, 'a'), 10);
  EXPECT_LT(quoted.size(), 20u);
  EXPECT_THAT(quoted, HasSubstr("..."));
}

TEST(TextTest, TrimRemovesOnlyAsciiWhitespaceAtTheEnds) {
  EXPECT_EQ(base::Trim(" \t\r\n a b \r\n\t "), "a b");
  EXPECT_EQ(base::Trim(""), "");
  EXPECT_EQ(base::Trim(" \t "), "");
  EXPECT_EQ(base::Trim("\va\v"), "\va\v");                            // vertical tab is not RFC 5322 whitespace
  EXPECT_EQ(base::Trim("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");  // nor is U+00A0
}

TEST(TextTest, CaseMappingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(base::LowerAscii("AbC-Z@[ÄÖ]"), "abc-z@[ÄÖ]");
  EXPECT_EQ(base::UpperAscii("aBc-z`{äö}"), "ABC-Z`{äö}");
}

TEST(TextTest, HasControlFindsC0AndDel) {
  EXPECT_FALSE(base::HasControl("plain text, Bücher"));
  EXPECT_TRUE(base::HasControl("a\nb"));
  EXPECT_TRUE(base::HasControl(std::string("a\0b", 3)));
  EXPECT_TRUE(base::HasControl("a\x7f"));
}

TEST(TextTest, ConsumePrefixIgnoresCaseAndLeavesInputOnMismatch) {
  std::string_view s = "MailTo:jane@example.com";
  EXPECT_TRUE(base::ConsumePrefix(&s, "mailto:"));
  EXPECT_EQ(s, "jane@example.com");
  EXPECT_FALSE(base::ConsumePrefix(&s, "mailto:"));
  EXPECT_EQ(s, "jane@example.com");
  std::string_view short_input = "tel";
  EXPECT_FALSE(base::ConsumePrefix(&short_input, "tel:"));
  EXPECT_EQ(short_input, "tel");
}

TEST(TextTest, IgnoreCaseComparisonsFoldOnlyAsciiLetters) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("Content-Length", "Content-Lengt"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  // Bytes >= 0x80 must match exactly: no locale folds "\xC3\x89" (É) to "\xC3\xA9" (é).
  EXPECT_FALSE(EqualsIgnoreAsciiCase("Envoy\xC3\x89", "envoy\xC3\xA9"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("ENVOY\xC3\xA9", "envoy\xC3\xA9"));
  // '@' (0x40) and '`' (0x60) sit next to the letters and must not be folded into them.
  EXPECT_FALSE(EqualsIgnoreAsciiCase("@", "`"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("On Mon, Bob wrote:", "on "));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("On", "on mon"));
  EXPECT_TRUE(EndsWithIgnoreAsciiCase("On Mon, Bob WROTE:", "wrote:"));
  EXPECT_FALSE(EndsWithIgnoreAsciiCase("wrote", "bob wrote"));
}

TEST(TextTest, PercentDecodeDecodesEscapesAndRejectsMalformedOnes) {
  std::string out = "left over";
  ASSERT_TRUE(base::PercentDecode("jane%2Bshop%40x%3a%41", &out));
  EXPECT_EQ(out, "jane+shop@x:A");
  ASSERT_TRUE(base::PercentDecode("%FF", &out));
  EXPECT_EQ(out, "\xff");  // any byte; callers check UTF-8
  EXPECT_FALSE(base::PercentDecode("100%", &out));
  EXPECT_FALSE(base::PercentDecode("%4", &out));
  EXPECT_FALSE(base::PercentDecode("a%zz", &out));
}

TEST(TextTest, EscapeColonsRoundTripsThroughPercentDecode) {
  EXPECT_EQ(base::EscapeColons("+1:50%"), "+1%3A50%25");
  std::string back;
  ASSERT_TRUE(base::PercentDecode(base::EscapeColons("a:b%3Ac"), &back));
  EXPECT_EQ(back, "a:b%3Ac");
}

}  // namespace
}  // namespace omnihub::base
