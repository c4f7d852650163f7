// The analyzer per script: which words ICU finds, and the exact and mark-stripped forms each
// gets (search_matching_test checks what those forms find).
#include "services/unifier/search/text_analyzer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace omnihub::unifier::search {
namespace {

std::vector<std::string> Exact(const std::vector<AnalyzedWord>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.exact);
  return out;
}
std::vector<std::string> Stripped(const std::vector<AnalyzedWord>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.stripped);
  return out;
}

using V = std::vector<std::string>;

class TextAnalyzerTest : public ::testing::Test {
 protected:
  TextAnalyzer analyzer_;
};

TEST_F(TextAnalyzerTest, HungarianKeepsExactAndStripsAccents) {
  auto words = analyzer_.Words("Köszönöm szépen, Győző!");
  EXPECT_EQ(Exact(words), (V{"köszönöm", "szépen", "győző"}));
  EXPECT_EQ(Stripped(words), (V{"koszonom", "szepen", "gyozo"}));
  EXPECT_FALSE(words[0].cjk);
  // Byte ranges point at the words as written.
  EXPECT_EQ(words[1].begin, std::string("Köszönöm ").size());
  EXPECT_EQ(words[2].end, std::string("Köszönöm szépen, Győző").size());
}

TEST_F(TextAnalyzerTest, CyrillicBulgarianAndUkrainian) {
  auto words = analyzer_.Words("Благодаря! Їжак ґанок Європа");
  EXPECT_EQ(Exact(words), (V{"благодаря", "їжак", "ґанок", "європа"}));
  // ї is і with a diaeresis: stripped it is і; ґ and є are letters of their own and stay.
  EXPECT_EQ(Stripped(words), (V{"благодаря", "іжак", "ґанок", "європа"}));
}

TEST_F(TextAnalyzerTest, GreekAccentsAndFinalSigma) {
  auto words = analyzer_.Words("Καλημέρα ΣΑΣ, φίλος");
  EXPECT_EQ(Exact(words), (V{"καλημέρα", "σασ", "φίλοσ"}));
  EXPECT_EQ(Stripped(words), (V{"καλημερα", "σασ", "φιλοσ"}));
}

TEST_F(TextAnalyzerTest, HebrewNiqqudAndAcronyms) {
  auto words = analyzer_.Words("שָׁלוֹם צה\"ל וצה״ל");
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0].stripped, "שלום");
  EXPECT_NE(words[0].exact, words[0].stripped);
  // The acronym is one word, and both quote spellings give the same term.
  EXPECT_EQ(words[1].exact, "צה״ל");
  EXPECT_EQ(words[2].exact, "וצה״ל");
}

TEST_F(TextAnalyzerTest, ArabicTashkeelAndTatweel) {
  auto words = analyzer_.Words("مَرْحَبًا العـــربية");
  EXPECT_EQ(Stripped(words), (V{"مرحبا", "العربية"}));
  EXPECT_EQ(words[1].exact, "العربية");  // tatweel only stretches the line
}

TEST_F(TextAnalyzerTest, Armenian) {
  auto words = analyzer_.Words("Շնորհակալություն Երևան");
  EXPECT_EQ(Exact(words), (V{"շնորհակալություն", "երեւան"}));  // the ligature և is ե + ւ
}

TEST_F(TextAnalyzerTest, ChineseAndJapaneseAreSegmentedAndMarkedCjk) {
  auto zh = analyzer_.Words("我们明天在北京见面");
  ASSERT_GT(zh.size(), 2u);  // dictionary segmentation, not one run
  for (const auto& w : zh) EXPECT_TRUE(w.cjk) << w.exact;
  auto ja = analyzer_.Words("東京都に行きました");
  ASSERT_GT(ja.size(), 2u);
  for (const auto& w : ja) EXPECT_TRUE(w.cjk);
  // Kana keep their dakuten: ガ is not カ.
  auto kana = analyzer_.Words("ガラス");
  ASSERT_EQ(kana.size(), 1u);
  EXPECT_EQ(kana[0].stripped, kana[0].exact);
}

TEST_F(TextAnalyzerTest, CaseFoldingAndWidth) {
  auto words = analyzer_.Words("STRASSE Straße ＡＢＣ don’t");
  EXPECT_EQ(Exact(words), (V{"strasse", "strasse", "abc", "don't"}));
}

TEST_F(TextAnalyzerTest, PunctuationAndEmojiAreNotWords) {
  EXPECT_TRUE(analyzer_.Words(" ,.!? 😀 — ").empty());
}

TEST_F(TextAnalyzerTest, CharactersSplitsCodePoints) {
  EXPECT_EQ(Characters("a東ü"), (V{"a", "東", "ü"}));
}

}  // namespace
}  // namespace omnihub::unifier::search
