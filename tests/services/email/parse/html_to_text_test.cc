// HTML mail bodies to readable text (gumbo), and the linear fallback for pathological nesting.
#include "services/email/parse/html_to_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace omnihub::email {
namespace {

TEST(HtmlToTextTest, BlockElementsStartLinesAndParagraphsAreSetApart) {
  EXPECT_EQ(HtmlToText("<div>one</div><div>two</div><p>three</p><p>four</p><h2>five</h2>six"),
            "one\ntwo\n\nthree\n\nfour\n\nfive\n\nsix");
}

TEST(HtmlToTextTest, OutlookMsoNormalParagraphsAreSingleLines) {
  EXPECT_EQ(HtmlToText("<p class=MsoNormal>Hello,<o:p></o:p></p><p class=MsoNormal>&nbsp;</p>"
                       "<p class=MsoNormal>second line</p><p class=MsoNormal>third line</p>"),
            "Hello,\n\nsecond line\nthird line");
}

TEST(HtmlToTextTest, LineBreaksFollowBrAsInGmail) {
  EXPECT_EQ(HtmlToText("a<br>b<br><br>c"), "a\nb\n\nc");
  EXPECT_EQ(HtmlToText("<div>a<br></div><div><br></div><div>b</div>"), "a\n\nb");
  EXPECT_EQ(HtmlToText("<br><br>start"), "start");
}

TEST(HtmlToTextTest, ListItemsGetDashesIndentedByNesting) {
  EXPECT_EQ(HtmlToText("<p>Steps:</p><ul><li>one</li><li>two<ul><li>two a</li></ul></li></ul><ol><li>"
                       "<p>para item</p></li></ol>after"),
            "Steps:\n\n- one\n- two\n  - two a\n\n- para item\n\nafter");
}

TEST(HtmlToTextTest, LinksKeepTheirTextAndScriptsStylesHeadAreDropped) {
  EXPECT_EQ(HtmlToText("<html><head><title>T</title><style>.a{}</style></head><body>"
                       "<script>var x = 1;</script>See <a href=\"https://x.example/\">the page</a>."
                       "<img src=cid:logo alt=Logo><noscript>nojs</noscript></body></html>"),
            "See the page.");
}

TEST(HtmlToTextTest, EntitiesAreDecodedAndWhitespaceCollapsed) {
  EXPECT_EQ(HtmlToText("  Fish&nbsp;&amp;\n\n chips &lt;3 &eacute;&#233;&#x1F600;  "),
            "Fish & chips <3 éé\U0001F600");
  EXPECT_EQ(HtmlToText("<b>bold</b> <i>italic</i><span>joined</span>"), "bold italicjoined");
}

TEST(HtmlToTextTest, PreKeepsItsWhitespace) {
  EXPECT_EQ(HtmlToText("<p>code:</p><pre>  a  b\n    c</pre>after"), "code:\n\n  a  b\n    c\n\nafter");
}

TEST(HtmlToTextTest, BlockquotesArePrefixedPerLevel) {
  EXPECT_EQ(HtmlToText("reply<blockquote>quoted<br>two<blockquote>deeper</blockquote></blockquote>"),
            "reply\n\n> quoted\n> two\n\n> > deeper");
}

TEST(HtmlToTextTest, TableRowsAreLinesAndCellsAreSpaced) {
  EXPECT_EQ(HtmlToText("<table><tr><td>Item</td><td>Price</td></tr><tr><td>Tea</td><td>2.00</td></tr></table>"),
            "Item Price\nTea 2.00");
}

TEST(HtmlToTextTest, BrokenMarkupIsReadLikeABrowserWould) {
  // Implied end tags close the first paragraph; the stray </div> is ignored, as browsers do.
  EXPECT_EQ(HtmlToText("<p>unclosed <b>bold<p>next</div>para"), "unclosed bold\n\nnextpara");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<<<>>>"), "<<<>>>");
}

TEST(HtmlToTextTest, DeepNestingUsesTheLinearFallbackQuickly) {
  std::string html;
  for (int i = 0; i < 50000; ++i) html += "<div><b>";
  html += "deep &amp; text";
  const auto start = std::chrono::steady_clock::now();
  bool simplified = false;
  EXPECT_EQ(HtmlToText(html, &simplified), "deep & text");
  EXPECT_TRUE(simplified);
  // gumbo would take minutes and gigabytes on this input.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HtmlToTextTest, UnclosedFormattingBeforeManyBlocksUsesTheFallback) {
  // gumbo would re-open all 100 <font>s in each of the 10,000 paragraphs (390 MB).
  std::string html = "<p>";
  for (int i = 0; i < 100; ++i) html += "<font color=" + std::to_string(i) + ">";
  for (int i = 0; i < 10000; ++i) html += "</p><p>x";
  bool simplified = false;
  const std::string text = HtmlToText(html, &simplified);
  EXPECT_TRUE(simplified);
  EXPECT_EQ(text.substr(0, 5), "x\nx\nx");
}

TEST(HtmlToTextTest, PathologicalCharactersStayLinear) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(HtmlToText(std::string(2000000, '<')), std::string(2000000, '<'));
  EXPECT_EQ(HtmlToText(std::string(2000000, '&')).size(), 2000000u);
  std::string tags;
  for (int i = 0; i < 200000; ++i) tags += "<a";
  HtmlToText(tags);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(HtmlToTextTest, ModerateNestingUsesTheParser) {
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<table><tr><td>";
  html += "cell &eacute;";
  bool simplified = true;
  EXPECT_EQ(HtmlToText(html, &simplified), "cell é");
  EXPECT_FALSE(simplified);
}

TEST(HtmlToTextTest, FallbackStripsScriptsAndBreaksBlocks) {
  std::string html = "<style>x{}</style><p>one</p><script>bad()</script><div>two &lt;&#65;&gt;</div>a < b";
  for (int i = 0; i < kMaxHtmlNesting + 1; ++i) html += "<span>";
  bool simplified = false;
  EXPECT_EQ(HtmlToText(html, &simplified), "one\ntwo <A>\na < b");
  EXPECT_TRUE(simplified);
}

TEST(HtmlToTextTest, SniffsMetaCharset) {
  EXPECT_EQ(SniffHtmlCharset("<html><head><meta charset=\"Windows-1251\"></head>"), "windows-1251");
  EXPECT_EQ(SniffHtmlCharset("<META http-equiv=Content-Type content='text/html; charset=koi8-r'>"), "koi8-r");
  EXPECT_EQ(SniffHtmlCharset("<meta name=x><p>charset=utf-8</p>"), "");
}

}  // namespace
}  // namespace omnihub::email
