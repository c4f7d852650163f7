#include "services/unifier/suggestions/mention_scanner.h"

#include <gtest/gtest.h>

namespace omnihub::unifier {
namespace {

class MentionScannerTest : public ::testing::Test {
 protected:
  // "kind:value|as written" per mention, in order.
  std::vector<std::string> Found(std::string_view text) {
    std::vector<std::string> out;
    for (const Mention& m : FindMentions(text, normalizer_)) out.push_back(event::IdentityToArgument(m.identity) + "|" + m.text);
    return out;
  }
  event::IdentityNormalizer normalizer_{"US"};
};

using Texts = std::vector<std::string>;

TEST_F(MentionScannerTest, EmailInChatTextIsNormalizedAndKeptAsWritten) {
  EXPECT_EQ(Found("my other address is Jane.Doe@Example.COM, write there"),
            (Texts{"email:jane.doe@example.com|Jane.Doe@Example.COM"}));
}

TEST_F(MentionScannerTest, PunctuationAroundAnAddressIsNotPartOfIt) {
  EXPECT_EQ(Found("(jane@example.com)"), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("<jane@example.com>;"), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("\"jane@example.com\"!"), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("write to jane@example.com."), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("write to jane@example.com..."), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("...jane@example.com"), (Texts{"email:jane@example.com|jane@example.com"}));
  EXPECT_EQ(Found("jane@example.com-"), (Texts{"email:jane@example.com|jane@example.com"}));
}

TEST_F(MentionScannerTest, MailtoPrefixIsNotPartOfTheAddress) {
  EXPECT_EQ(Found("<a href=\"mailto:Jane@Example.com\">"), (Texts{"email:jane@example.com|Jane@Example.com"}));
  EXPECT_EQ(Found("mailto:jane+support@example.com?subject=hi"),
            (Texts{"email:jane+support@example.com|jane+support@example.com"}));
}

TEST_F(MentionScannerTest, WhatIsNotAnAddressIsNoMention) {
  EXPECT_EQ(Found("ping @jane_k on X"), Texts{});
  EXPECT_EQ(Found("root@localhost"), Texts{});        // no dot in the domain
  EXPECT_EQ(Found("meet @ 5pm"), Texts{});
  EXPECT_EQ(Found("a@.example.com"), Texts{});
  EXPECT_EQ(Found("@@@ ..@.. @"), Texts{});
  EXPECT_EQ(Found(""), Texts{});
}

TEST_F(MentionScannerTest, InternationalizedDomainAndTextWithoutSpaces) {
  EXPECT_EQ(Found("schreib an max@bücher.de!"), (Texts{"email:max@xn--bcher-kva.de|max@bücher.de"}));
  // Chinese text has no spaces around the address: the ideographs are not part of it.
  EXPECT_EQ(Found("请联系jane@example.com谢谢"), (Texts{"email:jane@example.com|jane@example.com"}));
}

TEST_F(MentionScannerTest, OneAddressWrittenTwiceIsOneMention) {
  EXPECT_EQ(Found("jane@example.com or JANE@example.com"), (Texts{"email:jane@example.com|jane@example.com"}));
}

TEST_F(MentionScannerTest, PhoneNumbersInAnySpellingBecomeE164) {
  EXPECT_EQ(Found("Regards,\nBob\nTel. (415) 555-0100\nFax: +44 20 7946 0958"),
            (Texts{"phone:+14155550100|(415) 555-0100", "phone:+442079460958|+44 20 7946 0958"}));
  EXPECT_EQ(Found("call 415.555.0100 or +1 415 555 0100"), (Texts{"phone:+14155550100|415.555.0100"}));
  EXPECT_EQ(Found("tel:+49-151-12345678."), (Texts{"phone:+4915112345678|+49-151-12345678"}));
}

TEST_F(MentionScannerTest, DigitsOfOtherScriptsAreRead) {
  // Arabic-Indic and full-width digits: no ASCII digit in the text, still a number.
  EXPECT_EQ(Found("رقمي +٤٩ ١٥١ ١٢٣٤٥٦٧٨ شكرا"), (Texts{"phone:+4915112345678|+٤٩ ١٥١ ١٢٣٤٥٦٧٨"}));
  EXPECT_EQ(Found("電話：＋１ ４１５ ５５５ ０１００"), (Texts{"phone:+14155550100|＋１ ４１５ ５５５ ０１００"}));
}

TEST_F(MentionScannerTest, ShortDigitRunsAreNotNumbers) {
  EXPECT_EQ(Found("order 1234, room 56, 7 items"), Texts{});
}

TEST_F(MentionScannerTest, DigitsOfAnEmailAddressAreNotAPhoneNumber) {
  EXPECT_EQ(Found("4155550100@example.com"), (Texts{"email:4155550100@example.com|4155550100@example.com"}));
}

TEST_F(MentionScannerTest, EmailsComeBeforePhoneNumbers) {
  EXPECT_EQ(Found("+1 415 555 0100 / jane@example.com"),
            (Texts{"email:jane@example.com|jane@example.com", "phone:+14155550100|+1 415 555 0100"}));
}

}  // namespace
}  // namespace omnihub::unifier
