// The tenants of social platform accounts: [social.meta|telegram|x.NAME] take a `tenant`
// (default "default"), checked when the config is read and carried by the resolved account.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"
#include "services/social/social_accounts.h"
#include "services/social/social_config.h"

namespace omnihub::social {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&SocialConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(SocialTenantsTest, AccountsCarryTheirTenant) {
  auto c = Parse(
      "[social.meta.shop]\ndev_app_secret = \"a\"\ndev_verify_token = \"v\"\ntenant = \"acme\"\n"
      "[social.telegram.bot]\ndev_secret_token = \"s\"\ntenant = \"globex\"\n"
      "[social.x.brand]\ndev_consumer_secret = \"c\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto accounts = ResolveSocialAccounts(c->Get<SocialConfig>(),
                                        [](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
  EXPECT_EQ(accounts->TenantOf("meta", "shop"), "acme");
  EXPECT_EQ(accounts->TenantOf("telegram", "bot"), "globex");
  EXPECT_EQ(accounts->TenantOf("x", "brand"), "");
}

TEST(SocialTenantsTest, AnInvalidTenantNamesTheKeyAndLine) {
  auto c = Parse("[social.telegram.bot]\ndev_secret_token = \"s\"\ntenant = \"\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("social.telegram.bot.tenant (line 3) must not be empty"));
}

}  // namespace
}  // namespace omnihub::social
