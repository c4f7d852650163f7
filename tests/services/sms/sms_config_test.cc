// The [sms] section (services/sms/sms_config.h) and its provider accounts.
#include "services/sms/sms_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&SmsConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(SmsConfigTest, DefaultsWhenTheSectionIsLeftOut) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<SmsConfig>();
  EXPECT_EQ(m.listen, "127.0.0.1:8081");
  EXPECT_EQ(m.public_base_url, "http://127.0.0.1:8081");
  EXPECT_EQ(m.outbox_dir, "var/outbox/sms");
  EXPECT_EQ(m.admin_listen, "127.0.0.1:9103");
  EXPECT_TRUE(m.twilio.empty());
}

TEST(SmsConfigTest, OutboxIsUnderDataDirAndAdminListenIsItsOwn) {
  auto c = Parse("data_dir = \"/srv/hub\"\n[sms]\noutbox_dir = \"out/sms\"\nadmin_listen = \"[::1]:9200\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<SmsConfig>().outbox_dir, "/srv/hub/out/sms");
  EXPECT_EQ(c->Get<SmsConfig>().admin_listen, "[::1]:9200");
  EXPECT_FALSE(Parse("data_dir = \"./var/\"\n[sms]\noutbox_dir = \"var/outbox/sms\"\n").ok());
}

TEST(SmsConfigTest, AccountsAreNamedTables) {
  auto c = Parse(
      "[sms.twilio.shop]\nauth_token_env = \"SHOP_TOKEN\"\n"
      "[sms.twilio.outlet]\nauth_token_env = \"OUTLET_TOKEN\"\n"
      "[sms.vonage.eu]\nsignature_secret_env = \"EU_SECRET\"\nsignature_method = \"sha256\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<SmsConfig>();
  ASSERT_EQ(m.twilio.size(), 2u);
  EXPECT_EQ(m.twilio[0].name, "outlet");  // in order of their names
  EXPECT_EQ(m.twilio[1].secret.env, "SHOP_TOKEN");
  EXPECT_EQ(m.twilio[1].secret.key, "sms.twilio.shop.auth_token");
  EXPECT_TRUE(m.twilio[1].secret.dev.empty());
  ASSERT_EQ(m.vonage.size(), 1u);
  EXPECT_EQ(m.vonage[0].signature_method, "sha256");
}

TEST(SmsConfigTest, AccountErrorsNameTheKey) {
  auto c = Parse("[sms.vonage.eu]\nsignature_method = \"crc32\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("sms.vonage.eu.signature_method (line 2)"));
  c = Parse("[sms.twilio.shop]\nauth_tokn_env = \"X\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("sms.twilio.shop.auth_tokn_env"));
  c = Parse("[sms]\ntwilio = { shop = 3 }\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("sms.twilio.shop (line 2) must be a table"));
}

}  // namespace
}  // namespace omnihub::sms
