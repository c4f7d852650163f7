#include "common/config/config.h"

#include <gtest/gtest.h>

namespace omnihub::config {
namespace {

TEST(ConfigTest, EmbeddedDefaultParses) {
  auto c = config::ParseConfig(config::DefaultConfigToml(), "<default>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c->unifier.db_dir, "var/unifier");
  EXPECT_EQ(c->identity.default_region, "US");
}

TEST(ConfigTest, EachServiceHasItsOwnAdminListener) {
  auto c = config::ParseConfig(config::DefaultConfigToml(), "<default>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->unifier.admin_listen, "127.0.0.1:9101");
  EXPECT_EQ(c->email.admin_listen, "127.0.0.1:9102");
  EXPECT_EQ(c->sms.admin_listen, "127.0.0.1:9103");
  auto off = config::ParseConfig("[unifier]\nadmin_listen = \"\"\n[sms]\nadmin_listen = \"[::1]:9200\"\n", "test.toml");
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_EQ(off->unifier.admin_listen, "");
  EXPECT_EQ(off->sms.admin_listen, "[::1]:9200");
  EXPECT_EQ(off->email.admin_listen, "127.0.0.1:9102");
}

TEST(ConfigTest, WrongTypeNamesKeyAndLine) {
  auto c = config::ParseConfig("data_dir = \"x\"\n[unifier]\nbatch_max_events = \"many\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unifier.batch_max_events"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("line 3"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, UnknownKeyNamesKeyAndLine) {
  auto c = config::ParseConfig("[bus]\ningest = \"ipc://a\"\ningset = \"ipc://b\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bus.ingset"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("line 3"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  auto c = config::ParseConfig("[bus]\ningest = \n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("line 2"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, OutOfRangeValueIsRejected) {
  auto c = config::ParseConfig("[publisher]\nwindow = 0\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("publisher.window (line 2)"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, UnknownPhoneRegionIsRejected) {
  auto c = config::ParseConfig("[identity]\ndefault_region = \"XX\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("identity.default_region (line 2)"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, EmbeddedDefaultHasOneDevelopmentAccountPerSmsProvider) {
  auto c = config::ParseConfig(config::DefaultConfigToml(), "<default>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->sms.listen, "127.0.0.1:8081");
  EXPECT_EQ(c->sms.public_base_url, "http://127.0.0.1:8081");
  ASSERT_EQ(c->sms.twilio.size(), 1u);
  EXPECT_EQ(c->sms.twilio[0].name, "default");
  EXPECT_EQ(c->sms.twilio[0].secret_env, "OMNIHUB_TWILIO_AUTH_TOKEN");
  EXPECT_EQ(c->sms.twilio[0].dev_secret, "dev-twilio-token");
  ASSERT_EQ(c->sms.vonage.size(), 1u);
  EXPECT_EQ(c->sms.vonage[0].secret_env, "OMNIHUB_VONAGE_SIGNATURE_SECRET");
  EXPECT_EQ(c->sms.vonage[0].dev_secret, "dev-vonage-secret");
  EXPECT_EQ(c->sms.vonage[0].signature_method, "md5hash");
}

TEST(ConfigTest, SmsAccountsAreNamedTables) {
  auto c = config::ParseConfig(
      "[sms.twilio.shop]\nauth_token_env = \"SHOP_TOKEN\"\n"
      "[sms.twilio.outlet]\nauth_token_env = \"OUTLET_TOKEN\"\n"
      "[sms.vonage.eu]\nsignature_secret_env = \"EU_SECRET\"\nsignature_method = \"sha256\"\n",
      "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->sms.twilio.size(), 2u);
  EXPECT_EQ(c->sms.twilio[0].name, "outlet");  // in order of their names
  EXPECT_EQ(c->sms.twilio[1].secret_env, "SHOP_TOKEN");
  EXPECT_TRUE(c->sms.twilio[1].dev_secret.empty());
  EXPECT_EQ(c->sms.vonage[0].signature_method, "sha256");
}

TEST(ConfigTest, SmsAccountErrorsNameTheKey) {
  auto c = config::ParseConfig("[sms.vonage.eu]\nsignature_method = \"crc32\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("sms.vonage.eu.signature_method (line 2)"), std::string::npos)
      << c.status().message();
  c = config::ParseConfig("[sms.twilio.shop]\nauth_tokn_env = \"X\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("sms.twilio.shop.auth_tokn_env"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace omnihub::config
