// What a query finds: messages indexed with BuildMessageDocument and searched with
// ParseTextQuery (the same analyzer on both sides) in a real, in-memory Xapian database. One
// test per script: with and without marks, and never inside another word.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "services/unifier/search/index_terms.h"
#include "services/unifier/search/search_query.h"
#include "services/unifier/search/snippet.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier::search {
namespace {

class SearchMatchingTest : public ::testing::Test {
 protected:
  SearchMatchingTest() : db_(dir_.path() + "/index", Xapian::DB_CREATE), normalizer_("US") {}

  // Indexes `text` as message number `n` (event id: 16 bytes ending in n).
  void Add(int n, const std::string& text, const std::string& subject = "") {
    IndexedMessage m;
    m.event_id = std::string(15, '\0') + static_cast<char>(n);
    m.identity_id = 1;
    m.channel = 1;
    m.direction = 1;
    m.occurred_at_us = n;
    m.subject = subject;
    m.text = text;
    MessageDocument doc = BuildMessageDocument(m, analyzer_, normalizer_);
    db_.replace_document(EventIdTerm(m.event_id), doc.document);
  }

  // The numbers of the messages `query` finds.
  std::set<int> Find(const std::string& query) {
    auto parsed = ParseTextQuery(query, analyzer_, normalizer_);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (!parsed.ok()) return {};
    Xapian::Enquire enquire(db_);
    enquire.set_query(parsed->query);
    std::set<int> found;
    Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.insert(static_cast<unsigned char>(it.get_document().get_data()[15]));
    return found;
  }

  std::string Snippet(const std::string& query, const std::string& text) {
    auto parsed = ParseTextQuery(query, analyzer_, normalizer_);
    EXPECT_TRUE(parsed.ok());
    return MakeSnippet(text, MatchRanges(text, parsed->highlights, analyzer_, normalizer_));
  }

  testing::TempDir dir_;
  Xapian::WritableDatabase db_;
  TextAnalyzer analyzer_;
  event::IdentityNormalizer normalizer_;
};

using S = std::set<int>;

TEST_F(SearchMatchingTest, HungarianWithAndWithoutAccentsNotInsideWords) {
  Add(1, "Köszönöm a segítséget!");
  Add(2, "koszonom szepen");
  Add(3, "Köszönömmel nem");  // a longer word that starts with it
  EXPECT_EQ(Find("köszönöm"), (S{1, 2}));
  EXPECT_EQ(Find("koszonom"), (S{1, 2}));
  EXPECT_EQ(Find("KÖSZÖNÖM"), (S{1, 2}));
  EXPECT_EQ(Find("segitseget"), (S{1}));
  EXPECT_EQ(Find("köszö"), S{});
}

TEST_F(SearchMatchingTest, ExactSpellingRanksFirst) {
  Add(1, "koszonom szepen");
  Add(2, "köszönöm szépen");
  auto parsed = ParseTextQuery("köszönöm", analyzer_, normalizer_);
  ASSERT_TRUE(parsed.ok());
  Xapian::Enquire enquire(db_);
  enquire.set_query(parsed->query);
  Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_EQ(mset.size(), 2u);
  EXPECT_EQ(mset.begin().get_document().get_data()[15], 2);
}

TEST_F(SearchMatchingTest, BulgarianAndUkrainian) {
  Add(1, "Благодаря за помощта");
  Add(2, "Їжак і ґанок, Європа");
  Add(3, "іжак без крапок");
  Add(4, "Благодарям ви");
  EXPECT_EQ(Find("благодаря"), (S{1}));
  EXPECT_EQ(Find("Їжак"), (S{2, 3}));  // matched without the marks, the exact one ranks first
  EXPECT_EQ(Find("іжак"), (S{2, 3}));
  EXPECT_EQ(Find("ґанок"), (S{2}));
  EXPECT_EQ(Find("європа"), (S{2}));
}

TEST_F(SearchMatchingTest, GreekWithAndWithoutAccentsAndFinalSigma) {
  Add(1, "Καλημέρα φίλος μου");
  Add(2, "Καλημεράκια");
  EXPECT_EQ(Find("καλημέρα"), (S{1}));
  EXPECT_EQ(Find("ΚΑΛΗΜΕΡΑ"), (S{1}));
  EXPECT_EQ(Find("καλημερα"), (S{1}));
  EXPECT_EQ(Find("φιλοσ"), (S{1}));
  EXPECT_EQ(Find("φίλος"), (S{1}));
}

TEST_F(SearchMatchingTest, HebrewNiqqudAndAcronym) {
  Add(1, "שָׁלוֹם לכולם");
  Add(2, "שלום חברים");
  Add(3, "דובר צה\"ל אמר");
  Add(4, "שלומית");
  EXPECT_EQ(Find("שלום"), (S{1, 2}));
  EXPECT_EQ(Find("שָׁלוֹם"), (S{1, 2}));
  EXPECT_EQ(Find("צה\"ל"), (S{3}));
  EXPECT_EQ(Find("צה״ל"), (S{3}));  // gershayim
  EXPECT_EQ(Find("צה"), S{});       // the acronym is one word
}

TEST_F(SearchMatchingTest, ArabicTashkeelAndTatweel) {
  Add(1, "مَرْحَبًا بِكُمْ");
  Add(2, "مرحبا يا صديقي");
  Add(3, "العـــربية جميلة");
  Add(4, "مرحباتكم");
  EXPECT_EQ(Find("مرحبا"), (S{1, 2}));
  EXPECT_EQ(Find("مَرْحَبًا"), (S{1, 2}));
  EXPECT_EQ(Find("العربية"), (S{3}));
}

TEST_F(SearchMatchingTest, Armenian) {
  Add(1, "Շնորհակալություն ձեզ");
  Add(2, "շնորհակալությունների");
  EXPECT_EQ(Find("շնորհակալություն"), (S{1}));
  EXPECT_EQ(Find("ՇՆՈՐՀԱԿԱԼՈՒԹՅՈՒՆ"), (S{1}));
}

TEST_F(SearchMatchingTest, ChineseAndJapaneseInsideUnsegmentedRuns) {
  Add(1, "我们明天在北京见面");
  Add(2, "东京都に行きました");
  Add(3, "北方的京剧");
  EXPECT_EQ(Find("北京"), (S{1}));
  EXPECT_EQ(Find("明天"), (S{1}));
  EXPECT_EQ(Find("京都"), (S{2}));   // across ICU's word boundary in 东京|都
  EXPECT_EQ(Find("行きました"), (S{2}));
  EXPECT_EQ(Find("京"), (S{1, 2, 3}));
  EXPECT_EQ(Find("见北"), S{});      // characters of the text, not in that order
}

TEST_F(SearchMatchingTest, PhrasesUsePositions) {
  Add(1, "the red fox jumps");
  Add(2, "red is not the fox");
  EXPECT_EQ(Find("red fox"), (S{1, 2}));
  EXPECT_EQ(Find("\"red fox\""), (S{1}));
  EXPECT_EQ(Find("\"fox red\""), S{});
}

TEST_F(SearchMatchingTest, SubjectAndTextAreBothSearchedButNoPhraseSpansThem) {
  Add(1, "fox jumps", "the red");
  EXPECT_EQ(Find("red"), (S{1}));
  EXPECT_EQ(Find("\"red fox\""), S{});
}

TEST_F(SearchMatchingTest, PhoneNumberInAnySpelling) {
  Add(1, "call me at (415) 555-0100 tomorrow");
  Add(2, "my number is +1 415 555 0100");
  Add(3, "4155550100");
  Add(4, "not mine: 415 555 0199");
  for (const char* q : {"+1 415 555 0100", "(415) 555-0100", "4155550100", "415.555.0100"}) {
    EXPECT_EQ(Find(q), (S{1, 2, 3})) << q;
  }
}

TEST_F(SearchMatchingTest, EmailAddressesAndHandles) {
  Add(1, "write to Ana.K@Example.com please");
  Add(2, "example.com is a domain");
  Add(3, "ping @ana_k on X");
  EXPECT_EQ(Find("ana.k@example.com"), (S{1}));
  EXPECT_EQ(Find("example"), (S{1, 2}));  // a word of the address
  EXPECT_EQ(Find("@ana_k"), (S{3}));
  EXPECT_EQ(Find("ana_k"), (S{3}));
}

TEST_F(SearchMatchingTest, EmptyQueryIsRefusedNamingIt) {
  auto parsed = ParseTextQuery(" ,. ", analyzer_, normalizer_);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("query"), std::string::npos);
}

TEST_F(SearchMatchingTest, SnippetsMarkMatchedWords) {
  EXPECT_EQ(Snippet("koszonom", "Nagyon köszönöm a segítséget"), "Nagyon [[köszönöm]] a segítséget");
  EXPECT_EQ(Snippet("4155550100", "call (415) 555-0100 now"), "call [[(415) 555-0100]] now");
  EXPECT_EQ(Snippet("北京", "我们在北京见面"), "我们在[[北京]]见面");
  const std::string longer = std::string(400, 'a') + " needle " + std::string(400, 'b');
  const std::string snippet = Snippet("needle", longer);
  EXPECT_NE(snippet.find("[[needle]]"), std::string::npos);
  EXPECT_LT(snippet.size(), 300u);
  EXPECT_EQ(snippet.rfind("\u2026", 0), 0u);  // cut at the front
}

}  // namespace
}  // namespace omnihub::unifier::search
