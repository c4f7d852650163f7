// Secrets of the SMS provider accounts: the environment first, the development secret only
// as a stand-in that is announced, and a Twilio account without any token refused.
#include "services/sms/sms_accounts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace omnihub::sms {
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

// An account whose secret comes from variable `env`, with `dev` standing in.
SmsAccountConfig Account(std::string provider, std::string name, std::string env, std::string dev,
                         std::string method = "md5hash") {
  const std::string key = "sms." + provider + "." + name + (provider == "twilio" ? ".auth_token" : ".signature_secret");
  SmsAccountConfig a{name, {}, method};
  a.secret.key = key;
  a.secret.env = env;
  a.secret.dev = dev;
  return a;
}

SmsConfig DefaultLike() {
  SmsConfig c;
  c.twilio.push_back(Account("twilio", "default", "OMNIHUB_TWILIO_AUTH_TOKEN", "dev-twilio-token"));
  c.vonage.push_back(Account("vonage", "default", "OMNIHUB_VONAGE_SIGNATURE_SECRET", "dev-vonage-secret", "sha256"));
  return c;
}

TEST(SmsAccountsTest, EnvironmentSecretsWinAndNothingIsAnnounced) {
  auto a = ResolveSmsAccounts(DefaultLike(), Env({{"OMNIHUB_TWILIO_AUTH_TOKEN", "live-token"},
                                                  {"OMNIHUB_VONAGE_SIGNATURE_SECRET", "live-secret"}}));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->FindTwilio("default")->auth_token, "live-token");
  EXPECT_EQ(a->FindVonage("default")->signature_secret, "live-secret");
  EXPECT_EQ(a->FindVonage("default")->method, VonageSignatureMethod::kSha256Hmac);
  EXPECT_THAT(a->warnings, IsEmpty());
  EXPECT_EQ(a->FindTwilio("other"), nullptr);
}

TEST(SmsAccountsTest, DevelopmentSecretsStandInWithAWarningEach) {
  auto a = ResolveSmsAccounts(DefaultLike(), Env({}));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->FindTwilio("default")->auth_token, "dev-twilio-token");
  EXPECT_EQ(a->FindVonage("default")->signature_secret, "dev-vonage-secret");
  ASSERT_THAT(a->warnings, SizeIs(2));
  EXPECT_THAT(a->warnings[0], HasSubstr("$OMNIHUB_TWILIO_AUTH_TOKEN is not set"));
  EXPECT_THAT(a->warnings[1], HasSubstr("development secret"));
}

TEST(SmsAccountsTest, TwilioAccountWithoutAnyTokenIsRefusedNamingTheVariable) {
  SmsConfig c;
  c.twilio.push_back(Account("twilio", "shop", "SHOP_TOKEN", ""));
  c.twilio.push_back(Account("twilio", "outlet", "OUTLET_TOKEN", ""));
  auto a = ResolveSmsAccounts(c, Env({}));
  ASSERT_FALSE(a.ok());
  // Both accounts, a line each.
  EXPECT_THAT(a.status().message(),
              HasSubstr("environment variable SHOP_TOKEN is not set (sms.twilio.shop.auth_token_env)"));
  EXPECT_THAT(a.status().message(), HasSubstr("\nenvironment variable OUTLET_TOKEN is not set"));
}

TEST(SmsAccountsTest, VonageAccountWithoutSecretAcceptsUnsignedAndSaysSo) {
  SmsConfig c;
  c.vonage.push_back(Account("vonage", "eu", "EU_SECRET", ""));
  auto a = ResolveSmsAccounts(c, Env({}));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->FindVonage("eu")->signature_secret.empty());
  ASSERT_THAT(a->warnings, SizeIs(1));
  EXPECT_THAT(a->warnings[0], HasSubstr("accepted unsigned"));
}

}  // namespace
}  // namespace omnihub::sms
