// The tenants of [email] mailboxes and domains (services/email/email_config.h): an entry may
// be a table naming its tenant; a bad tenant is an error naming the entry and its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"
#include "services/email/email_config.h"

namespace omnihub::email {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&EmailConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(EmailTenantsTest, MailboxesAndDomainsNameTheirTenants) {
  auto c = Parse(
      "[email]\n"
      "mailboxes = [\"support@example.com\", { address = \"sales@acme.test\", tenant = \"acme\" }]\n"
      "domains = [\"example.com\", { domain = \"globex.test\", tenant = \"globex\" }]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& e = c->Get<EmailConfig>();
  EXPECT_EQ(e.mailboxes, (std::vector<std::string>{"support@example.com", "sales@acme.test"}));
  EXPECT_EQ(e.domains, (std::vector<std::string>{"example.com", "globex.test"}));
  EXPECT_EQ(e.tenants, (std::map<std::string, std::string>{{"globex.test", "globex"}, {"sales@acme.test", "acme"}}));
}

TEST(EmailTenantsTest, PlainListsAreTheDefaultTenants) {
  auto c = Parse("[email]\nmailboxes = [\"a@example.com\"]\ndomains = [\"example.org\"]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->Get<EmailConfig>().tenants.empty());
}

TEST(EmailTenantsTest, ABadTenantIsNamedWithItsLine) {
  auto c = Parse("[email]\ndomains = [\"example.com\",\n  { domain = \"globex.test\", tenant = \"globex inc\" }]\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("email.domains[1].tenant (line 3) 'globex inc' is not a tenant id"));
}

}  // namespace
}  // namespace omnihub::email
