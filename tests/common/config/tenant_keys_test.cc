// The `tenant` keys of account entries (common/config/tenant_keys.h), read through a section
// of this test's own: an account table's `tenant`, and a list whose entries are strings or
// { address = ..., tenant = ... } tables. A bad value is an error naming the key and its line.
#include "common/config/tenant_keys.h"

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"
#include "common/config/section.h"

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;

struct TenantDemo {
  static constexpr std::string_view kSection = "tdemo";
  std::string account_tenant = "default";
  std::vector<std::string> mailboxes = {"kept@example.com"};
  std::map<std::string, std::string> tenants;
};

void ParseTenantDemo(TableReader& r, TenantDemo* d) {
  ReadTenantList(r, "mailboxes", "address", &d->mailboxes, &d->tenants);
  for (auto& [name, account] : r.Tables("account")) {
    ReadTenant(account, &d->account_tenant);
    account.CheckNoUnknownKeys();
  }
}

base::Result<Config> Parse(std::string_view toml) {
  static const TypedSection<TenantDemo> section(ParseTenantDemo);
  static const Section* const kSections[] = {&section};
  return ParseConfig(toml, "t.toml", kSections);
}

TEST(TenantKeysTest, AbsentKeysKeepTheDefaults) {
  auto c = Parse("[tdemo.account.shop]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<TenantDemo>().account_tenant, "default");
  EXPECT_EQ(c->Get<TenantDemo>().mailboxes, std::vector<std::string>{"kept@example.com"});
  EXPECT_TRUE(c->Get<TenantDemo>().tenants.empty());
}

TEST(TenantKeysTest, AnAccountTableNamesItsTenant) {
  auto c = Parse("[tdemo.account.shop]\ntenant = \"acme-EU_1\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<TenantDemo>().account_tenant, "acme-EU_1");
}

TEST(TenantKeysTest, ListEntriesAreStringsOrTablesWithATenant) {
  auto c = Parse(
      "[tdemo]\nmailboxes = [\"support@example.com\", { address = \"sales@acme.test\", tenant = \"acme\" },\n"
      "             { address = \"info@example.com\", tenant = \"default\" }]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& d = c->Get<TenantDemo>();
  EXPECT_EQ(d.mailboxes, (std::vector<std::string>{"support@example.com", "sales@acme.test", "info@example.com"}));
  // Only tenants other than the default one are listed.
  EXPECT_EQ(d.tenants, (std::map<std::string, std::string>{{"sales@acme.test", "acme"}}));
}

TEST(TenantKeysTest, AnInvalidTenantIsAnErrorNamingTheKeyAndLine) {
  auto c = Parse("[tdemo.account.shop]\n\ntenant = \"acme.eu\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr("tdemo.account.shop.tenant (line 3) 'acme.eu' is not a tenant id: use 1..128 characters of "
                        "A-Z a-z 0-9 - _ ="));
  auto empty = Parse("[tdemo.account.shop]\ntenant = \"\"\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("tdemo.account.shop.tenant (line 2) must not be empty"));
}

TEST(TenantKeysTest, ABadListEntryIsNamedByItsIndexAndLine) {
  auto bad_tenant = Parse("[tdemo]\nmailboxes = [\"a@example.com\",\n  { address = \"b@x.test\", tenant = \"b c\" }]\n");
  ASSERT_FALSE(bad_tenant.ok());
  EXPECT_THAT(bad_tenant.status().message(), HasSubstr("tdemo.mailboxes[1].tenant (line 3) 'b c' is not a tenant id"));

  auto no_address = Parse("[tdemo]\nmailboxes = [{ tenant = \"acme\" }]\n");
  ASSERT_FALSE(no_address.ok());
  EXPECT_THAT(no_address.status().message(), HasSubstr("tdemo.mailboxes[0] (line 2) needs the key 'address'"));

  auto typo = Parse("[tdemo]\nmailboxes = [{ address = \"b@x.test\", tennant = \"acme\" }]\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.status().message(), HasSubstr("tennant"));

  auto number = Parse("[tdemo]\nmailboxes = [\"a@example.com\", 7]\n");
  ASSERT_FALSE(number.ok());
  EXPECT_THAT(number.status().message(),
              HasSubstr("tdemo.mailboxes[1] (line 2) must be a string or { address = \"...\", tenant = \"...\" }"));
}

}  // namespace
}  // namespace omnihub::config
