// Secrets from the environment or from files (common/config/secret.h, secret_keys.h): a
// file's content less one trailing newline, relative paths under $CREDENTIALS_DIRECTORY,
// one source per secret, and no value in any message or warning.
#include "common/config/secret.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "services/sms/sms_config.h"

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

SecretConfig Secret(std::string key, std::string env, std::string file, std::string dev, int line = 0) {
  SecretConfig s;
  s.key = std::move(key);
  s.env = std::move(env);
  s.file = std::move(file);
  s.dev = std::move(dev);
  s.line = line;
  return s;
}

GetEnvFn Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

class SecretTest : public ::testing::Test {
 protected:
  SecretTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-secret-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~SecretTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static SecretConfig FromFile(std::string file) {
    return Secret("sms.twilio.shop.auth_token", "", std::move(file), "", 3);
  }

  std::string dir_;
};

TEST_F(SecretTest, AFileGivesItsContentLessOneTrailingNewline) {
  SecretResolver secrets(Env({}));
  EXPECT_EQ(secrets.Get(FromFile(Write("token", "s3cret-token\n")), true), "s3cret-token");
  EXPECT_EQ(secrets.Get(FromFile(Write("two", "line one\nline two\n\n")), true), "line one\nline two\n");
  EXPECT_EQ(secrets.Get(FromFile(Write("bare", "no-newline")), true), "no-newline");
  EXPECT_TRUE(secrets.status().ok()) << secrets.status().ToString();
  EXPECT_THAT(secrets.warnings(), IsEmpty());
}

TEST_F(SecretTest, AMissingOrEmptyFileIsAnErrorNamingTheKeyAndThePath) {
  SecretResolver secrets(Env({}));
  EXPECT_EQ(secrets.Get(FromFile(dir_ + "/absent"), false), "");
  EXPECT_EQ(secrets.Get(FromFile(Write("empty", "\n")), false), "");
  const std::string message = secrets.status().message();
  EXPECT_THAT(message, HasSubstr("sms.twilio.shop.auth_token_file (line 3): cannot read '" + dir_ +
                                 "/absent': No such file or directory"));
  EXPECT_THAT(message, HasSubstr("\nsms.twilio.shop.auth_token_file (line 3): '" + dir_ + "/empty' is empty"));
}

TEST_F(SecretTest, ARelativeFileIsUnderCredentialsDirectoryWhenSet) {
  Write("meta-app-secret", "from-credentials\n");
  SecretResolver secrets(Env({{"CREDENTIALS_DIRECTORY", dir_}}));
  EXPECT_EQ(secrets.Get(FromFile("meta-app-secret"), true), "from-credentials");
  EXPECT_TRUE(secrets.status().ok()) << secrets.status().ToString();
  EXPECT_EQ(SecretFilePath("meta-app-secret", Env({{"CREDENTIALS_DIRECTORY", dir_}})), dir_ + "/meta-app-secret");
  EXPECT_EQ(SecretFilePath("/etc/omnihub/x", Env({{"CREDENTIALS_DIRECTORY", dir_}})), "/etc/omnihub/x");
  // Without the variable a relative path is the working directory's.
  EXPECT_EQ(SecretFilePath("meta-app-secret", Env({})), "meta-app-secret");
}

TEST_F(SecretTest, TheEnvironmentAndTheDevelopmentStandIn) {
  const SecretConfig secret = Secret("social.x.default.consumer_secret", "X_SECRET", "", "dev-x-value");
  SecretResolver live(Env({{"X_SECRET", "live-x-value"}}));
  EXPECT_EQ(live.Get(secret, true), "live-x-value");
  EXPECT_THAT(live.warnings(), IsEmpty());
  SecretResolver dev(Env({}));
  EXPECT_EQ(dev.Get(secret, true), "dev-x-value");
  ASSERT_EQ(dev.warnings().size(), 1u);
  EXPECT_THAT(dev.warnings()[0], HasSubstr("social.x.default.consumer_secret uses the development secret"));
  EXPECT_THAT(dev.warnings()[0], HasSubstr("$X_SECRET is not set"));
  EXPECT_THAT(dev.warnings()[0], Not(HasSubstr("dev-x-value")));
  SecretResolver missing(Env({}));
  EXPECT_EQ(missing.Get(Secret("k", "X_SECRET", "", ""), false), "");
  EXPECT_TRUE(missing.status().ok());
  EXPECT_EQ(missing.Get(Secret("k", "X_SECRET", "", ""), true), "");
  EXPECT_THAT(missing.status().message(), HasSubstr("environment variable X_SECRET is not set (k_env)"));
}

// The keys as the sms section reads them (config::ReadSecret).
base::Result<Config> ParseSms(const std::string& account_keys) {
  return ParseConfig("[sms.twilio.shop]\n" + account_keys, "t.toml", AllSections());
}

TEST_F(SecretTest, EachSecretHasExactlyOneSource) {
  auto both = ParseSms("auth_token_env = \"SHOP\"\nauth_token_file = \"shop\"\n");
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(),
              HasSubstr("sms.twilio.shop.auth_token_file (line 3) and auth_token_env (line 2) are both given"));
  auto file_and_dev = ParseSms("auth_token_file = \"shop\"\ndev_auth_token = \"x\"\n");
  ASSERT_FALSE(file_and_dev.ok());
  EXPECT_THAT(file_and_dev.status().message(),
              HasSubstr("sms.twilio.shop.dev_auth_token (line 3) is given beside auth_token_file (line 2)"));
  auto none = ParseSms("");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), HasSubstr("sms.twilio.shop (line 1) has no auth_token: set auth_token_env"));
  auto file = ParseSms("auth_token_file = \"shop\"\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const SecretConfig& s = file->Get<sms::SmsConfig>().twilio.at(0).secret;
  EXPECT_EQ(s.key, "sms.twilio.shop.auth_token");
  EXPECT_EQ(s.file, "shop");  // as written: resolved when read, against $CREDENTIALS_DIRECTORY
  EXPECT_EQ(s.line, 2);
  // The env with its development stand-in stays allowed (the embedded default has it).
  EXPECT_TRUE(ParseSms("auth_token_env = \"SHOP\"\ndev_auth_token = \"x\"\n").ok());
}

}  // namespace
}  // namespace omnihub::config
