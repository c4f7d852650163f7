// The tenants of SMS provider accounts: [sms.twilio.NAME] / [sms.vonage.NAME] take a `tenant`
// (default "default"), checked when the config is read and carried by the resolved account
// in its wire form ("" for the default tenant).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"
#include "services/sms/sms_accounts.h"
#include "services/sms/sms_config.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&SmsConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(SmsTenantsTest, AccountsCarryTheirTenant) {
  auto c = Parse(
      "[sms.twilio.shop]\ndev_auth_token = \"t1\"\ntenant = \"acme\"\n"
      "[sms.twilio.outlet]\ndev_auth_token = \"t2\"\n"
      "[sms.vonage.eu]\ntenant = \"globex\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<SmsConfig>();
  ASSERT_EQ(m.twilio.size(), 2u);
  EXPECT_EQ(m.twilio[0].tenant, "default");  // outlet
  EXPECT_EQ(m.twilio[1].tenant, "acme");     // shop
  auto accounts = ResolveSmsAccounts(m, [](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
  EXPECT_EQ(accounts->TenantOf("twilio", "shop"), "acme");
  EXPECT_EQ(accounts->TenantOf("twilio", "outlet"), "");
  EXPECT_EQ(accounts->TenantOf("vonage", "eu"), "globex");
  EXPECT_EQ(accounts->TenantOf("vonage", "shop"), "");
}

TEST(SmsTenantsTest, AnInvalidTenantNamesTheKeyAndLine) {
  auto c = Parse("[sms.vonage.eu]\n\ntenant = \"globex/eu\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr("sms.vonage.eu.tenant (line 3) 'globex/eu' is not a tenant id: use 1..128 characters"));
}

}  // namespace
}  // namespace omnihub::sms
