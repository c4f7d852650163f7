#include "services/email/smtp/smtp_command.h"

#include <gtest/gtest.h>

namespace omnihub::email {
namespace {

TEST(SmtpCommandTest, SplitsVerbCaseInsensitivelyAndTrimsArgument) {
  SmtpCommandLine cmd = SplitCommandLine("mail FROM:<a@example.com>  ");
  EXPECT_EQ(cmd.verb, SmtpVerb::kMail);
  EXPECT_EQ(cmd.verb_text, "mail");
  EXPECT_EQ(cmd.argument, "FROM:<a@example.com>");

  EXPECT_EQ(SplitCommandLine("StartTLS").verb, SmtpVerb::kStartTls);
  EXPECT_EQ(SplitCommandLine("LHLO x").verb, SmtpVerb::kLhlo);
  EXPECT_EQ(SplitCommandLine("QUIT").argument, "");
}

TEST(SmtpCommandTest, UnknownAndEmptyVerbsAreUnknown) {
  EXPECT_EQ(SplitCommandLine("").verb, SmtpVerb::kUnknown);
  EXPECT_EQ(SplitCommandLine("MAILX FROM:<>").verb, SmtpVerb::kUnknown);
  EXPECT_EQ(SplitCommandLine(" MAIL FROM:<>").verb, SmtpVerb::kUnknown);
  EXPECT_EQ(SplitCommandLine(std::string_view("DATA\0", 5)).verb, SmtpVerb::kUnknown);
}

TEST(SmtpCommandTest, ParsesPathAndParameters) {
  base::Result<SmtpPath> path = ParseSmtpPath("FROM:<Jane@Example.com> SIZE=1834 BODY=8BITMIME smtputf8", "FROM");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_FALSE(path->null_path);
  EXPECT_EQ(path->mailbox, "Jane@Example.com");
  ASSERT_EQ(path->parameters.size(), 3u);
  EXPECT_EQ(path->parameters[0].keyword, "SIZE");
  EXPECT_EQ(path->parameters[0].value, "1834");
  EXPECT_TRUE(path->parameters[0].has_value);
  EXPECT_EQ(path->parameters[1].keyword, "BODY");
  EXPECT_EQ(path->parameters[1].value, "8BITMIME");
  EXPECT_EQ(path->parameters[2].keyword, "SMTPUTF8");
  EXPECT_FALSE(path->parameters[2].has_value);
}

TEST(SmtpCommandTest, NullReversePath) {
  base::Result<SmtpPath> path = ParseSmtpPath("FROM:<>", "FROM");
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(path->null_path);
  EXPECT_EQ(path->mailbox, "");
}

TEST(SmtpCommandTest, ToleratesSpacesAroundColonAndMissingBrackets) {
  base::Result<SmtpPath> spaced = ParseSmtpPath("to : <a@example.com>", "TO");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->mailbox, "a@example.com");
  base::Result<SmtpPath> bare = ParseSmtpPath("FROM:a@example.com SIZE=5", "FROM");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->mailbox, "a@example.com");
  EXPECT_EQ(bare->parameters.size(), 1u);
}

TEST(SmtpCommandTest, DropsSourceRoute) {
  base::Result<SmtpPath> path = ParseSmtpPath("TO:<@relay1.example,@relay2.example:user@example.com>", "TO");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->mailbox, "user@example.com");
}

TEST(SmtpCommandTest, QuotedLocalPartMayContainBracket) {
  base::Result<SmtpPath> path = ParseSmtpPath("TO:<\"a>b\"@example.com>", "TO");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(path->mailbox, "\"a>b\"@example.com");
}

TEST(SmtpCommandTest, KeepsUtf8Mailbox) {
  base::Result<SmtpPath> path = ParseSmtpPath("TO:<j\xC3\xBCrgen@b\xC3\xBC" "cher.example>", "TO");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->mailbox, "j\xC3\xBCrgen@b\xC3\xBC" "cher.example");
}

TEST(SmtpCommandTest, RejectsMalformedPaths) {
  for (const char* bad : {
           "",                          // nothing
           "FROM<a@b.example>",         // no colon
           "TO:<a@b.example>",          // wrong keyword for MAIL
           "FROM:",                     // no path
           "FROM:<a@b.example",         // unbalanced
           "FROM:<a@b.example>x",       // text glued to the path
           "FROM:<a b@c.example>",      // space
           "FROM:<a(c)@b.example>",     // comment
           "FROM:<mailto:a@b.example>", // ':' outside a source route
           "FROM:<@relay.example>",     // source route without mailbox
           "FROM:<\"a@b.example>",      // unbalanced quote
           "FROM:<a\r@b.example>",      // control character
       }) {
    EXPECT_FALSE(ParseSmtpPath(bad, "FROM").ok()) << bad;
  }
}

TEST(SmtpCommandTest, RejectsMalformedParameters) {
  for (const char* bad : {
           "FROM:<> SIZE=",       // empty value
           "FROM:<> =5",          // empty keyword
           "FROM:<> -X=1",        // keyword must start with a letter or digit
           "FROM:<> S_Z=1",       // bad keyword character
           "FROM:<> X=a=b",       // '=' inside a value
       }) {
    EXPECT_FALSE(ParseSmtpPath(bad, "FROM").ok()) << bad;
  }
}

TEST(SmtpCommandTest, ErrorsNameTheDefect) {
  base::Result<SmtpPath> path = ParseSmtpPath("FROM:<a@b.example", "FROM");
  ASSERT_FALSE(path.ok());
  EXPECT_NE(path.status().message().find("angle brackets"), std::string::npos);
}

}  // namespace
}  // namespace omnihub::email
