// Secrets of the social accounts, read from the config files the hub ships: the embedded
// default falls back to development secrets with a warning each, the production config
// (deploy/omnihub.toml) has no fallback and refuses to start, naming the variable.
#include "services/social/social_accounts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "common/config/all_sections.h"
#include "common/config/config.h"

namespace omnihub::social {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

GetEnvFn Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

SocialConfig Embedded() {
  auto c = config::ParseConfig(config::DefaultConfigToml(), "<default>", config::AllSections());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? c->Get<SocialConfig>() : SocialConfig{};
}

SocialConfig Production() {
  auto c = config::LoadConfig(std::string(OMNIHUB_SOURCE_DIR) + "/deploy/omnihub.toml", config::AllSections());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? c->Get<SocialConfig>() : SocialConfig{};
}

const std::map<std::string, std::string> kAllSet = {{"OMNIHUB_META_APP_SECRET", "live-app-secret"},
                                                     {"OMNIHUB_META_VERIFY_TOKEN", "live-verify"},
                                                     {"OMNIHUB_TELEGRAM_SECRET_TOKEN", "live-telegram"},
                                                     {"OMNIHUB_X_CONSUMER_SECRET", "live-x"}};

TEST(SocialAccountsTest, EmbeddedDefaultListensOn8082WithOneDefaultAccountPerPlatform) {
  SocialConfig c = Embedded();
  EXPECT_EQ(c.listen, "127.0.0.1:8082");
  EXPECT_EQ(c.admin_listen, "127.0.0.1:9104");
  EXPECT_FALSE(c.keep_deleted_text);
  ASSERT_THAT(c.meta, SizeIs(1));
  ASSERT_THAT(c.telegram, SizeIs(1));
  ASSERT_THAT(c.x, SizeIs(1));
  EXPECT_EQ(c.meta[0].name, "default");
  EXPECT_EQ(c.telegram[0].name, "default");
  EXPECT_EQ(c.x[0].name, "default");
}

TEST(SocialAccountsTest, EnvironmentSecretsWinAndNothingIsAnnounced) {
  for (const SocialConfig& c : {Embedded(), Production()}) {
    auto a = ResolveSocialAccounts(c, Env(kAllSet));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->FindMeta("default")->app_secret, "live-app-secret");
    EXPECT_EQ(a->FindMeta("default")->verify_token, "live-verify");
    EXPECT_EQ(a->FindTelegram("default")->secret_token, "live-telegram");
    EXPECT_EQ(a->FindX("default")->consumer_secret, "live-x");
    EXPECT_THAT(a->warnings, IsEmpty());
    EXPECT_EQ(a->FindMeta("other"), nullptr);
  }
}

TEST(SocialAccountsTest, EmbeddedDefaultFallsBackToDevelopmentSecretsWithAWarningEach) {
  auto a = ResolveSocialAccounts(Embedded(), Env({}));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->FindMeta("default")->app_secret, "dev-meta-secret");
  EXPECT_EQ(a->FindMeta("default")->verify_token, "dev-verify-token");
  EXPECT_EQ(a->FindTelegram("default")->secret_token, "dev-telegram-secret");
  EXPECT_EQ(a->FindX("default")->consumer_secret, "dev-x-secret");
  ASSERT_THAT(a->warnings, SizeIs(4));
  EXPECT_THAT(a->warnings[0], HasSubstr("OMNIHUB_META_APP_SECRET is not set"));
  EXPECT_THAT(a->warnings[3], HasSubstr("OMNIHUB_X_CONSUMER_SECRET is not set"));
}

TEST(SocialAccountsTest, ProductionConfigRefusesToStartNamingTheMissingVariable) {
  for (const char* missing : {"OMNIHUB_META_APP_SECRET", "OMNIHUB_META_VERIFY_TOKEN", "OMNIHUB_TELEGRAM_SECRET_TOKEN",
                              "OMNIHUB_X_CONSUMER_SECRET"}) {
    auto vars = kAllSet;
    vars.erase(missing);
    auto a = ResolveSocialAccounts(Production(), Env(vars));
    ASSERT_FALSE(a.ok()) << missing;
    EXPECT_THAT(a.status().message(), HasSubstr(std::string("environment variable ") + missing + " is not set"));
  }
}

TEST(SocialAccountsTest, AnAccountWithoutItsVariableNameIsRefused) {
  SocialConfig c;
  TelegramAccountConfig shopbot{"shopbot", {}};
  shopbot.secret_token.key = "social.telegram.shopbot.secret_token";
  c.telegram.push_back(shopbot);
  auto a = ResolveSocialAccounts(c, Env({}));
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(a.status().message(),
              HasSubstr("social.telegram.shopbot.secret_token: no secret: set social.telegram.shopbot.secret_token_env"));
}

}  // namespace
}  // namespace omnihub::social
