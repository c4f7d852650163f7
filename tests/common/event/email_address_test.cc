#include "common/event/email_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace omnihub::event {
namespace {

using ::testing::HasSubstr;

class EmailAddressTest : public ::testing::Test {
 protected:
  // The normalized form of an address that must parse.
  std::string EmailValue(std::string_view raw) {
    auto r = event::ParseEmailAddress(raw);
    EXPECT_TRUE(r.ok()) << raw << ": " << r.status().ToString();
    return r.ok() ? r->Normalized() : "";
  }
  // The message for an address that must be rejected as InvalidArgument.
  std::string EmailError(std::string_view raw) {
    auto r = event::ParseEmailAddress(raw);
    EXPECT_FALSE(r.ok()) << raw << " was accepted as " << (r.ok() ? r->Normalized() : "");
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
    }
    return r.ok() ? "" : r.status().message();
  }
};

// ---- The structured result ----

TEST_F(EmailAddressTest, ReturnsLocalPartDomainAndDisplayNameSeparately) {
  auto r = event::ParseEmailAddress("Jane Doe <Jane.Doe@Bücher.Example.>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->local, "Jane.Doe");  // case kept: only Normalized() folds it
  EXPECT_EQ(r->domain, "xn--bcher-kva.example");
  EXPECT_EQ(r->display_name, "Jane Doe");
  EXPECT_EQ(r->Normalized(), "jane.doe@xn--bcher-kva.example");
}

TEST_F(EmailAddressTest, UnquotesLocalPartAndDecodesMailto) {
  auto quoted = event::ParseEmailAddress("\"Jane.Doe\"@example.com");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(quoted->local, "Jane.Doe");
  EXPECT_EQ(quoted->domain, "example.com");
  EXPECT_EQ(quoted->display_name, "");

  auto mailto = event::ParseEmailAddress("mailto:Jane%2Bshop@Example.com?subject=hi");
  ASSERT_TRUE(mailto.ok()) << mailto.status().ToString();
  EXPECT_EQ(mailto->local, "Jane+shop");
  EXPECT_EQ(mailto->domain, "example.com");
}

TEST_F(EmailAddressTest, AcceptsSmtpPathAndRejectsNullPath) {
  auto path = event::ParseEmailAddress("<Jane@Example.COM>");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(path->local, "Jane");
  EXPECT_EQ(path->domain, "example.com");
  EXPECT_EQ(path->display_name, "");
  EXPECT_EQ(EmailError("<>"), "invalid email address '<>': empty address");
}

TEST_F(EmailAddressTest, NormalizedFoldsOnlyAsciiLettersOfLocalPart) {
  const event::EmailAddress address{"JÜrgen.X", "example.de", "JÜrgen"};
  EXPECT_EQ(address.Normalized(), "jÜrgen.x@example.de");
  // Parsing the normalized form gives it back unchanged.
  EXPECT_EQ(EmailValue(address.Normalized()), address.Normalized());
}

// ---- Accepted forms ----

TEST_F(EmailAddressTest, UnquotesDisplayName) {
  auto r = event::ParseEmailAddress("\"Doe, Jane\" <jane@example.com>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Normalized(), "jane@example.com");
  EXPECT_EQ(r->display_name, "Doe, Jane");
  auto escaped = event::ParseEmailAddress(R"("Jane \"JD\" Doe"   <jane@example.com>)");
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped->display_name, "Jane \"JD\" Doe");
}

TEST_F(EmailAddressTest, StripsComments) {
  EXPECT_EQ(EmailValue("jane(work)@example.com"), "jane@example.com");
  EXPECT_EQ(EmailValue("jane@(nested (comment))example.com"), "jane@example.com");
  EXPECT_EQ(EmailValue("jane@example.com (Jane at work)"), "jane@example.com");
  auto r = event::ParseEmailAddress("Jane (the boss) Doe <jane@example.com>");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->display_name, "Jane Doe");
}

TEST_F(EmailAddressTest, AcceptsWhitespaceMailtoAndAngleOnly) {
  EXPECT_EQ(EmailValue("  \tjane@example.com \r\n"), "jane@example.com");
  EXPECT_EQ(EmailValue("mailto:Jane@Example.com"), "jane@example.com");
  EXPECT_EQ(EmailValue("MAILTO:jane@example.com?subject=hello"), "jane@example.com");
  EXPECT_EQ(EmailValue("mailto:jane%2Bshop@example.com"), "jane+shop@example.com");
  EXPECT_EQ(EmailValue("<jane@example.com>"), "jane@example.com");
  EXPECT_EQ(EmailValue("\"jane\"@example.com"), "jane@example.com");
  EXPECT_EQ(EmailValue("o'brien+tag@sub.example.co.uk"), "o'brien+tag@sub.example.co.uk");
}

TEST_F(EmailAddressTest, ConvertsDomainToIdnaAscii) {
  EXPECT_EQ(EmailValue("jane@Bücher.example"), "jane@xn--bcher-kva.example");
  EXPECT_EQ(EmailValue("jane@BÜCHER.example"), "jane@xn--bcher-kva.example");
  // Non-transitional processing: ß stays ß (xn--fa-hia), it is not mapped to "ss".
  EXPECT_EQ(EmailValue("jane@faß.de"), "jane@xn--fa-hia.de");
  // The ASCII form is already normalized, and stays the same.
  EXPECT_EQ(EmailValue("jane@XN--BCHER-KVA.example"), "jane@xn--bcher-kva.example");
}

TEST_F(EmailAddressTest, RemovesTrailingDotOfDomain) { EXPECT_EQ(EmailValue("jane@example.com."), "jane@example.com"); }

TEST_F(EmailAddressTest, KeepsUtf8LocalPart) {
  EXPECT_EQ(EmailValue("Jürgen@example.de"), "jürgen@example.de");
}

// ---- Each rejection reason ----

TEST_F(EmailAddressTest, RejectsEmpty) {
  EXPECT_THAT(EmailError(""), HasSubstr("empty"));
  EXPECT_THAT(EmailError("   "), HasSubstr("empty"));
  EXPECT_THAT(EmailError("Jane <>"), HasSubstr("empty address"));
}

TEST_F(EmailAddressTest, RejectsMissingAt) {
  EXPECT_EQ(EmailError("jane.example.com"), "invalid email address 'jane.example.com': no '@'");
  EXPECT_THAT(EmailError("a@b@example.com"), HasSubstr("more than one '@'"));
}

TEST_F(EmailAddressTest, RejectsEmptyParts) {
  EXPECT_THAT(EmailError("@example.com"), HasSubstr("empty local part"));
  EXPECT_THAT(EmailError("jane@"), HasSubstr("empty domain"));
  EXPECT_THAT(EmailError("jane@."), HasSubstr("empty domain"));
}

TEST_F(EmailAddressTest, RejectsWhitespaceAndControlCharacters) {
  EXPECT_THAT(EmailError("jane doe@example.com"), HasSubstr("whitespace"));
  EXPECT_THAT(EmailError("jane@exa mple.com"), HasSubstr("whitespace"));
  EXPECT_THAT(EmailError("jane\x01@example.com"), HasSubstr("control character"));
  // The control character is shown escaped, not raw.
  EXPECT_THAT(EmailError("jane\x01@example.com"), HasSubstr("jane\\x01@"));
  EXPECT_THAT(EmailError("jane@exa\tmple.com"), HasSubstr("control character"));
}

TEST_F(EmailAddressTest, RejectsUnbalancedDelimiters) {
  EXPECT_THAT(EmailError("Jane <jane@example.com"), HasSubstr("unbalanced angle brackets"));
  EXPECT_THAT(EmailError("jane@example.com>"), HasSubstr("unbalanced angle brackets"));
  EXPECT_THAT(EmailError("<a@example.com> <b@example.com>"), HasSubstr("unexpected text after '>'"));
  EXPECT_THAT(EmailError("jane(work@example.com"), HasSubstr("unbalanced parentheses"));
  EXPECT_THAT(EmailError("jane)@example.com"), HasSubstr("unbalanced parentheses"));
  EXPECT_THAT(EmailError("\"Jane <jane@example.com>"), HasSubstr("unbalanced quotes"));
}

TEST_F(EmailAddressTest, RejectsOverlongParts) {
  const std::string local64(64, 'a');
  EXPECT_EQ(EmailValue(local64 + "@example.com"), local64 + "@example.com");
  EXPECT_THAT(EmailError(std::string(65, 'a') + "@example.com"), HasSubstr("local part longer than 64 octets"));

  const std::string label63(63, 'b');
  EXPECT_EQ(EmailValue("jane@" + label63 + ".com"), "jane@" + label63 + ".com");
  EXPECT_THAT(EmailError("jane@" + std::string(64, 'b') + ".com"), HasSubstr("label longer than 63"));

  const std::string three_labels = label63 + "." + label63 + "." + label63 + ".";
  const std::string domain253 = three_labels + std::string(57, 'c') + ".com";
  ASSERT_EQ(domain253.size(), 253u);
  EXPECT_EQ(EmailValue("jane@" + domain253), "jane@" + domain253);
  EXPECT_THAT(EmailError("jane@" + three_labels + std::string(58, 'c') + ".com"),
              HasSubstr("domain longer than 253 octets"));
}

TEST_F(EmailAddressTest, RejectsBadLabelsAndDots) {
  EXPECT_THAT(EmailError("jane@-example.com"), HasSubstr("starts or ends with '-'"));
  EXPECT_THAT(EmailError("jane@example-.com"), HasSubstr("starts or ends with '-'"));
  EXPECT_THAT(EmailError("jane@example..com"), HasSubstr("consecutive dots in the domain"));
  EXPECT_THAT(EmailError("jane@.example.com"), HasSubstr("starts with a dot"));
  EXPECT_THAT(EmailError("jane..doe@example.com"), HasSubstr("consecutive dots in the local part"));
  EXPECT_THAT(EmailError(".jane@example.com"), HasSubstr("local part starts or ends with a dot"));
  EXPECT_THAT(EmailError("jane@localhost"), HasSubstr("no dot"));
  EXPECT_THAT(EmailError("jane@under_score.com"), HasSubstr("invalid character '_' in the domain"));
  EXPECT_THAT(EmailError("ja,ne@example.com"), HasSubstr("invalid character ',' in the local part"));
  EXPECT_THAT(EmailError("jane@[192.0.2.1]"), HasSubstr("address literals"));
}

TEST_F(EmailAddressTest, ReportsIdnaFailureWithLibidn2Message) {
  // Invalid punycode: libidn2's own words are part of the message.
  EXPECT_THAT(EmailError("jane@xn--zz.example"), HasSubstr("not a valid internationalized domain name: "));
  EXPECT_THAT(EmailError("jane@xn--zz.example"), HasSubstr("punycode"));
  std::string long_unicode_label;
  for (int i = 0; i < 70; ++i) long_unicode_label += "ü";
  EXPECT_THAT(EmailError("jane@" + long_unicode_label + ".com"), HasSubstr("not a valid internationalized domain name"));
}

TEST_F(EmailAddressTest, RejectsInvalidUtf8) {
  EXPECT_THAT(EmailError("jane@ex\xff.com"), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(EmailError("mailto:jane%FF@example.com"), HasSubstr("invalid UTF-8"));
  EXPECT_THAT(EmailError("mailto:jane%4@example.com"), HasSubstr("malformed %-escape"));
  EXPECT_THAT(EmailError("mailto:jane%0A@example.com"), HasSubstr("control character"));
}

TEST_F(EmailAddressTest, RejectsQuotedLocalPartWithSpecials) {
  EXPECT_THAT(EmailError("\"a,b\"@example.com"), HasSubstr("quoted local parts"));
}
}  // namespace
}  // namespace omnihub::event
