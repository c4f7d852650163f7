// Trimming quoted history below the separators mail clients write.
#include "services/email/parse/quote_trimmer.h"

#include <gtest/gtest.h>

#include <string>

namespace omnihub::email {
namespace {

void ExpectTrimmedTo(const std::string& input, const std::string& expected) {
  const TrimmedText result = TrimQuotedHistory(input);
  EXPECT_TRUE(result.trimmed) << input;
  EXPECT_EQ(result.text, expected) << input;
}

void ExpectUntouched(const std::string& input) {
  const TrimmedText result = TrimQuotedHistory(input);
  EXPECT_FALSE(result.trimmed) << input;
  EXPECT_EQ(result.text, input);
}

TEST(QuoteTrimmerTest, GmailAttributionOnOneLine) {
  ExpectTrimmedTo("Yes.\n\nOn Mon, Nov 13, 2023 at 9:30 AM Jane Doe <jane@example.com> wrote:\n> Question?\n",
                  "Yes.");
}

TEST(QuoteTrimmerTest, GmailAttributionWrappedOverTwoOrThreeLines) {
  ExpectTrimmedTo("Yes.\n\nOn Mon, Nov 13, 2023 at 9:30 AM Jane Doe <\njane@example.com> wrote:\n\n> Q\n", "Yes.");
  ExpectTrimmedTo("Yes.\n\nOn Mon, Nov 13, 2023 at 9:30 AM\nJane Doe\n<jane@example.com> wrote:\n> Q\n", "Yes.");
}

TEST(QuoteTrimmerTest, LocalizedAttributions) {
  ExpectTrimmedTo("Ja.\n\nAm 13.11.2023 um 09:30 schrieb Jane Doe <jane@example.com>:\n> Frage\n", "Ja.");
  ExpectTrimmedTo("Oui.\n\nLe lun. 13 nov. 2023 à 09:30, Jane Doe <jane@example.com> a écrit :\n> Q\n", "Oui.");
  ExpectTrimmedTo("Sí.\n\nEl lun, 13 nov 2023 a las 9:30, Jane Doe (<jane@example.com>) escribió:\n> Q\n", "Sí.");
}

TEST(QuoteTrimmerTest, DateFirstAttribution) {
  ExpectTrimmedTo("Ok.\n\n2014-10-17 11:28 GMT+03:00 Bob <bob@example.com>:\n> Q\n", "Ok.");
}

TEST(QuoteTrimmerTest, OutlookOriginalMessageLine) {
  ExpectTrimmedTo("Fine.\n\n-----Original Message-----\nFrom: Jane\nSent: today\n\nQ\n", "Fine.");
  ExpectTrimmedTo("Gut.\n\n-----Ursprüngliche Nachricht-----\nVon: Jane\n\nFrage\n", "Gut.");
}

TEST(QuoteTrimmerTest, OutlookHeaderBlocks) {
  ExpectTrimmedTo("Fine.\n\nFrom: Jane Doe <jane@example.com>\nSent: Monday, November 13, 2023 9:30 AM\n"
                  "To: Support\nSubject: RE: Order\n\nQ\n",
                  "Fine.");
  ExpectTrimmedTo("Gut.\n\n________________________________\nVon: Jane Doe\nGesendet: Montag, 13. November 2023\n"
                  "An: Support\nBetreff: Bestellung\n\nFrage\n",
                  "Gut.");
  ExpectTrimmedTo("Merci.\n\nDe : Jane Doe\nEnvoyé : lundi 13 novembre 2023 09:30\nÀ : Support\n"
                  "Objet : Commande\n\nQuestion\n",
                  "Merci.");
  ExpectTrimmedTo("Thanks.\n\n*From:* Jane\n*Date:* Monday\n*Subject:* Order\n\nQ\n", "Thanks.");
}

TEST(QuoteTrimmerTest, AppleMailAttribution) {
  ExpectTrimmedTo("Thanks!\n\nOn Nov 13, 2023, at 09:30, Jane Doe <jane@example.com> wrote:\n\n> Q\n", "Thanks!");
}

TEST(QuoteTrimmerTest, TrailingQuoteBlockWithBlankLinesAndNesting) {
  ExpectTrimmedTo("Answer.\n\n> Question\n>> Older\n>\n\n> More\n\n", "Answer.");
}

TEST(QuoteTrimmerTest, InterleavedRepliesAreKept) {
  ExpectUntouched("> Does it ship to Canada?\nYes.\n> And Mexico?\nAlso yes.");
}

TEST(QuoteTrimmerTest, ForwardedHeaderBlockIsNotAQuote) {
  ExpectUntouched("See below.\n\n---------- Forwarded message ---------\nFrom: Jane <jane@example.com>\n"
                  "Date: Mon, Nov 13, 2023 at 9:30 AM\nSubject: Order\nTo: Support\n\nQ");
}

TEST(QuoteTrimmerTest, NeverTrimsToEmpty) {
  ExpectUntouched("On Mon, Nov 13, 2023 Jane <jane@example.com> wrote:\n> only quoted\n");
  ExpectUntouched("> all\n> quoted");
}

TEST(QuoteTrimmerTest, ProseIsNotASeparator) {
  ExpectUntouched("On second thought I wrote:\nnothing wrong here.");
  ExpectUntouched("From: my perspective\nthis is fine.");
  ExpectUntouched("Plain text with -- dashes -- inside.");
  ExpectUntouched("");
}

TEST(QuoteTrimmerTest, EarliestSeparatorWins) {
  ExpectTrimmedTo("Top.\n\nOn Mon, Nov 13, 2023 Jane <jane@example.com> wrote:\n> A\n"
                  "> -----Original Message-----\n> B\n",
                  "Top.");
}

}  // namespace
}  // namespace omnihub::email
