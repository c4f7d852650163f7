#include "common/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace omnihub {
namespace {

using ::testing::HasSubstr;

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("Bücher \xe2\x82\xac \xf0\x9f\x98\x80"));
  size_t offset = 99;
  EXPECT_FALSE(IsValidUtf8("ab\xff", &offset));
  EXPECT_EQ(offset, 2u);
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
}

TEST(TextTest, QuoteForMessageEscapesAndTruncates) {
  EXPECT_EQ(QuoteForMessage("a\nb"), "'a\\x0ab'");
  EXPECT_EQ(QuoteForMessage("a\xff"), "'a\\xff'");
  EXPECT_EQ(QuoteForMessage("Bücher"), "'Bücher'");
  const std::string quoted = QuoteForMessage(std::string(500, 'a'), 10);
  EXPECT_LT(quoted.size(), 20u);
  EXPECT_THAT(quoted, HasSubstr("..."));
}

TEST(TextTest, TrimRemovesOnlyAsciiWhitespaceAtTheEnds) {
  EXPECT_EQ(Trim(" \t\r\n a b \r\n\t "), "a b");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t "), "");
  EXPECT_EQ(Trim("\va\v"), "\va\v");                            // vertical tab is not RFC 5322 whitespace
  EXPECT_EQ(Trim("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");  // nor is U+00A0
}

TEST(TextTest, CaseMappingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(LowerAscii("AbC-Z@[ÄÖ]"), "abc-z@[ÄÖ]");
  EXPECT_EQ(UpperAscii("aBc-z`{äö}"), "ABC-Z`{äö}");
}

TEST(TextTest, HasControlFindsC0AndDel) {
  EXPECT_FALSE(HasControl("plain text, Bücher"));
  EXPECT_TRUE(HasControl("a\nb"));
  EXPECT_TRUE(HasControl(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControl("a\x7f"));
}

TEST(TextTest, ConsumePrefixIgnoresCaseAndLeavesInputOnMismatch) {
  std::string_view s = "MailTo:jane@example.com";
  EXPECT_TRUE(ConsumePrefix(&s, "mailto:"));
  EXPECT_EQ(s, "jane@example.com");
  EXPECT_FALSE(ConsumePrefix(&s, "mailto:"));
  EXPECT_EQ(s, "jane@example.com");
  std::string_view short_input = "tel";
  EXPECT_FALSE(ConsumePrefix(&short_input, "tel:"));
  EXPECT_EQ(short_input, "tel");
}

TEST(TextTest, PercentDecodeDecodesEscapesAndRejectsMalformedOnes) {
  std::string out = "left over";
  ASSERT_TRUE(PercentDecode("jane%2Bshop%40x%3a%41", &out));
  EXPECT_EQ(out, "jane+shop@x:A");
  ASSERT_TRUE(PercentDecode("%FF", &out));
  EXPECT_EQ(out, "\xff");  // any byte; callers check UTF-8
  EXPECT_FALSE(PercentDecode("100%", &out));
  EXPECT_FALSE(PercentDecode("%4", &out));
  EXPECT_FALSE(PercentDecode("a%zz", &out));
}

TEST(TextTest, EscapeColonsRoundTripsThroughPercentDecode) {
  EXPECT_EQ(EscapeColons("+1:50%"), "+1%3A50%25");
  std::string back;
  ASSERT_TRUE(PercentDecode(EscapeColons("a:b%3Ac"), &back));
  EXPECT_EQ(back, "a:b%3Ac");
}

}  // namespace
}  // namespace omnihub
