// The config files the hub ships, read as every process reads them: with all the service
// sections of the build (common/config/all_sections.h).
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/bus/cluster_config.h"
#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "services/api/api_config.h"
#include "services/ctl/inject_config.h"
#include "services/email/email_config.h"
#include "services/sms/sms_config.h"
#include "services/unifier/unifier_config.h"

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;

TEST(DefaultConfigTest, EmbeddedDefaultParsesWithEverySection) {
  auto c = ParseConfig(DefaultConfigToml(), "<default>", AllSections());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c->identity.default_region, "US");
  EXPECT_EQ(c->Get<unifier::UnifierConfig>().db_dir, "var/unifier");
  EXPECT_EQ(c->Get<ctl::InjectConfig>().outbox_dir, "var/outbox/inject");
  EXPECT_EQ(c->Get<email::EmailConfig>().outbox_dir, "var/outbox/email");
  EXPECT_EQ(c->Get<sms::SmsConfig>().outbox_dir, "var/outbox/sms");
}

// The embedded file spells out what the structs default to; a process given a file
// without a section must behave as with the embedded one.
TEST(DefaultConfigTest, EmbeddedDefaultAgreesWithTheStructDefaults) {
  auto file = ParseConfig(DefaultConfigToml(), "<default>", AllSections());
  auto empty = ParseConfig("", "empty.toml", AllSections());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(file->bus.query, empty->bus.query);
  const auto& fe = file->Get<email::EmailConfig>();
  const auto& ee = empty->Get<email::EmailConfig>();
  EXPECT_EQ(fe.smtp_listen, ee.smtp_listen);
  EXPECT_EQ(fe.domains, ee.domains);
  EXPECT_EQ(fe.max_message_bytes, ee.max_message_bytes);
  EXPECT_EQ(fe.admin_listen, ee.admin_listen);
  EXPECT_EQ(file->Get<unifier::UnifierConfig>().credit, empty->Get<unifier::UnifierConfig>().credit);
  EXPECT_EQ(file->Get<unifier::UnifierConfig>().admin_listen, empty->Get<unifier::UnifierConfig>().admin_listen);
  EXPECT_EQ(file->Get<sms::SmsConfig>().listen, empty->Get<sms::SmsConfig>().listen);
  EXPECT_EQ(file->Get<sms::SmsConfig>().admin_listen, empty->Get<sms::SmsConfig>().admin_listen);
}

TEST(DefaultConfigTest, EmbeddedDefaultHasOneDevelopmentAccountPerSmsProvider) {
  auto c = ParseConfig(DefaultConfigToml(), "<default>", AllSections());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& m = c->Get<sms::SmsConfig>();
  ASSERT_EQ(m.twilio.size(), 1u);
  EXPECT_EQ(m.twilio[0].name, "default");
  EXPECT_EQ(m.twilio[0].secret.env, "OMNIHUB_TWILIO_AUTH_TOKEN");
  EXPECT_EQ(m.twilio[0].secret.dev, "dev-twilio-token");
  ASSERT_EQ(m.vonage.size(), 1u);
  EXPECT_EQ(m.vonage[0].secret.env, "OMNIHUB_VONAGE_SIGNATURE_SECRET");
  EXPECT_EQ(m.vonage[0].secret.dev, "dev-vonage-secret");
  EXPECT_EQ(m.vonage[0].signature_method, "md5hash");
}

TEST(DefaultConfigTest, DeployConfigParses) {
  std::ifstream in(std::string(OMNIHUB_SOURCE_DIR) + "/deploy/omnihub.toml");
  ASSERT_TRUE(in) << "deploy/omnihub.toml";
  std::stringstream text;
  text << in.rdbuf();
  auto c = ParseConfig(text.str(), "deploy/omnihub.toml", AllSections());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->bus.ingest, "ipc:///run/omnihub/ingest.sock");
  EXPECT_EQ(c->Get<unifier::UnifierConfig>().db_dir, "/var/lib/omnihub/unifier");
  // The API's tokens are data to back up, under the state directory like the rest.
  EXPECT_EQ(c->Get<api::ApiConfig>().token_dir, "/var/lib/omnihub/api/tokens");
  EXPECT_EQ(c->Get<api::ApiConfig>().admin_listen, "127.0.0.1:9105");
}

// One host stays the default: both shipped files leave cluster mode off.
TEST(DefaultConfigTest, ShippedConfigsLeaveClusterModeOff) {
  auto embedded = ParseConfig(DefaultConfigToml(), "<default>", AllSections());
  ASSERT_TRUE(embedded.ok()) << embedded.status().ToString();
  EXPECT_FALSE(embedded->Get<bus::ClusterConfig>().enabled);
  std::ifstream in(std::string(OMNIHUB_SOURCE_DIR) + "/deploy/omnihub.toml");
  std::stringstream text;
  text << in.rdbuf();
  auto deploy = ParseConfig(text.str(), "deploy/omnihub.toml", AllSections());
  ASSERT_TRUE(deploy.ok()) << deploy.status().ToString();
  EXPECT_FALSE(deploy->Get<bus::ClusterConfig>().enabled);
  EXPECT_EQ(deploy->Get<bus::ClusterConfig>().partitions, 2u);
}

// Every process checks every section of the shared file, the ones it does not use too.
TEST(DefaultConfigTest, EverySectionIsCheckedAndATypoIsNot) {
  auto typo = ParseConfig("[smss]\nlisten = \"\"\n", "t.toml", AllSections());
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().message(), "config t.toml: unknown key 'smss' (line 1)");
  auto bad = ParseConfig("[sms]\nlisen = \"\"\n", "t.toml", AllSections());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "config t.toml: unknown key 'sms.lisen' (line 2)");
  auto range = ParseConfig("[email]\nmax_recipients = 0\n", "t.toml", AllSections());
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("email.max_recipients (line 2) must be between 1 and 10000"));
}

}  // namespace
}  // namespace omnihub::config
