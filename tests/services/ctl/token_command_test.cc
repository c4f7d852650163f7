// omnihubctl token create|list|revoke|login on a real token store in a temporary directory:
// what each prints (the secret only once), the files and audit lines it leaves, that a token
// it made verifies and one it revoked does not, the login link, and bad arguments.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/api/api_config.h"
#include "services/api/auth/token_store.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class TokenCommandTest : public testing::CtlTest {
 protected:
  TokenCommandTest() {
    static const config::Section* const kSections[] = {&api::ApiConfigSection()};
    const std::string toml = "[api]\ntoken_dir = \"" + Path("tokens") +
                             "\"\npublic_url = \"https://hub.example.com/\"\nlogin_code_ttl_s = 600\n";
    auto parsed = config::ParseConfig(toml, "test.toml", kSections);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) config_ = std::move(*parsed);
    setenv("LOGNAME", "ops", 1);
  }

  api::auth::TokenStore Store() { return api::auth::TokenStore(Path("tokens"), clock_, random_); }
  std::vector<nlohmann::json> Audit() {
    std::ifstream in(Path("tokens") + "/audit.jsonl");
    std::stringstream text;
    text << in.rdbuf();
    return JsonLines(text.str());
  }
};

TEST_F(TokenCommandTest, CreatePrintsTheTokenOnceAndItVerifies) {
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "read,write", "--name", "agent-1", "--expires", "30d",
                           "--rate", "5"}),
            kExitOk)
      << err();
  const nlohmann::json made = nlohmann::json::parse(out());
  const std::string token = made.at("token");
  EXPECT_TRUE(std::regex_match(token, std::regex("ohk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"))) << token;
  EXPECT_EQ(made.at("token_id"), token.substr(4, 16));
  EXPECT_EQ(made.at("name"), "agent-1");
  EXPECT_EQ(made.at("scopes"), nlohmann::json({"read", "write"}));
  EXPECT_EQ(made.at("created_at"), "2026-09-21T14:13:20.000000Z");
  EXPECT_EQ(made.at("expires_at"), "2026-10-21T14:13:20.000000Z");
  EXPECT_TRUE(made.at("revoked_at").is_null());
  EXPECT_EQ(made.at("created_by"), "ctl:ops");
  EXPECT_EQ(made.at("rate_limit_per_s"), 5);
  EXPECT_FALSE(made.contains("login_url"));

  auto who = Store().Verify(token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->name, "agent-1");
  EXPECT_EQ(who->rate_limit_per_s, 5u);

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].at("action"), "create");
  EXPECT_EQ(audit[0].at("actor"), "ctl:ops");
  EXPECT_EQ(audit[0].at("via"), "ctl");
  EXPECT_EQ(audit[0].at("name"), "agent-1");
  EXPECT_EQ(audit[0].dump().find(token.substr(21)), std::string::npos);
}

TEST_F(TokenCommandTest, ListPrintsEveryTokenWithoutSecrets) {
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "admin", "--name", "admin"}), kExitOk) << err();
  const std::string admin_token = nlohmann::json::parse(out()).at("token");
  clock_.Advance(1);
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "read", "--name", "reader"}), kExitOk) << err();
  ASSERT_EQ(Run(RunToken, {"revoke", "reader"}), kExitOk) << err();

  ASSERT_EQ(Run(RunToken, {"list"}), kExitOk) << err();
  const auto lines = JsonLines(out());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("name"), "admin");
  EXPECT_TRUE(lines[0].at("expires_at").is_null());
  EXPECT_TRUE(lines[0].at("revoked_at").is_null());
  EXPECT_EQ(lines[1].at("name"), "reader");
  EXPECT_FALSE(lines[1].at("revoked_at").is_null());
  for (const auto& line : lines) {
    EXPECT_FALSE(line.contains("token"));
    EXPECT_FALSE(line.contains("sha256"));
  }
  EXPECT_EQ(out().find(admin_token.substr(21)), std::string::npos);
}

TEST_F(TokenCommandTest, RevokeByIdOrNameEndsTheToken) {
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "read", "--name", "agent"}), kExitOk) << err();
  const nlohmann::json made = nlohmann::json::parse(out());
  auto store = Store();
  ASSERT_TRUE(store.Verify(made.at("token").get<std::string>()).ok());

  clock_.Advance(2'000'000);
  ASSERT_EQ(Run(RunToken, {"revoke", made.at("token_id").get<std::string>(), "--actor", "ana"}), kExitOk) << err();
  const nlohmann::json revoked = nlohmann::json::parse(out());
  EXPECT_EQ(revoked.at("token_id"), made.at("token_id"));
  EXPECT_EQ(revoked.at("revoked_at"), "2026-09-21T14:13:22.000000Z");
  EXPECT_FALSE(store.Verify(made.at("token").get<std::string>()).ok());
  EXPECT_EQ(Audit().back().at("action"), "revoke");
  EXPECT_EQ(Audit().back().at("actor"), "ctl:ana");

  EXPECT_EQ(Run(RunToken, {"revoke", "nobody"}), kExitNotFound);
  EXPECT_NE(err().find("nobody"), std::string::npos);
}

TEST_F(TokenCommandTest, LoginPrintsAOneTimeLinkUnderThePublicUrl) {
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "read,write", "--name", "console"}), kExitOk) << err();
  const std::string token_id = nlohmann::json::parse(out()).at("token_id");
  ASSERT_EQ(Run(RunToken, {"login", "console"}), kExitOk) << err();
  const nlohmann::json link = nlohmann::json::parse(out());
  EXPECT_EQ(link.at("token_id"), token_id);
  EXPECT_EQ(link.at("name"), "console");
  EXPECT_EQ(link.at("login_expires_at"), "2026-09-21T14:23:20.000000Z");
  const std::string url = link.at("login_url");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(url, m, std::regex("https://hub\\.example\\.com/login\\?code=([A-Za-z0-9_-]{43})")))
      << url;
  auto store = Store();
  auto who = store.RedeemLoginCode(m[1].str());
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->name, "console");
  EXPECT_FALSE(store.RedeemLoginCode(m[1].str()).ok());
  EXPECT_EQ(Audit().back().at("action"), "login_link");

  ASSERT_EQ(Run(RunToken, {"create", "--scope", "read", "--name", "other", "--login"}), kExitOk) << err();
  const nlohmann::json with_link = nlohmann::json::parse(out());
  EXPECT_TRUE(with_link.contains("token"));
  EXPECT_EQ(with_link.at("login_url").get<std::string>().rfind("https://hub.example.com/login?code=", 0), 0u);

  ASSERT_EQ(Run(RunToken, {"revoke", "other"}), kExitOk);
  EXPECT_EQ(Run(RunToken, {"login", "other"}), kExitFailed) << "no link for a revoked token";
  EXPECT_EQ(Run(RunToken, {"login", "nobody"}), kExitNotFound);
}

TEST_F(TokenCommandTest, BadArgumentsAreUsageErrorsNamingTheProblem) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{}, "subcommand"},
      {{"frobnicate"}, "subcommand"},
      {{"create", "--name", "x"}, "--scope and --name are required"},
      {{"create", "--scope", "read"}, "--scope and --name are required"},
      {{"create", "--scope", "read,root", "--name", "x"}, "unknown scope 'root'"},
      {{"create", "--scope", "", "--name", "x"}, "unknown scope ''"},
      {{"create", "--scope", "read", "--name", "bad name"}, "1 to 64 characters"},
      {{"create", "--scope", "read", "--name", "x", "--expires", "30"}, "30d, 12h, 90m"},
      {{"create", "--scope", "read", "--name", "x", "--expires", "0d"}, "30d, 12h, 90m"},
      {{"create", "--scope", "read", "--name", "x", "--expires", "2w"}, "30d, 12h, 90m"},
      {{"create", "--scope", "read", "--name", "x", "--expires", "99999999999d"}, "100 years"},
      {{"create", "--scope", "read", "--name", "x", "--rate", "0"}, "--rate"},
      {{"create", "--scope", "read", "--name", "x", "--rate", "2000000"}, "at most"},
      {{"create", "--scope", "read", "--name", "x", "--token", "y"}, "unknown option --token"},
      {{"list", "extra"}, "unexpected argument"},
      {{"revoke"}, "missing argument"},
      {{"login"}, "missing argument"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Run(RunToken, c.args), kExitUsage) << ::testing::PrintToString(c.args);
    EXPECT_NE(err().find(c.says), std::string::npos) << ::testing::PrintToString(c.args) << ": " << err();
  }
  EXPECT_TRUE(Store().List()->empty());
}

TEST_F(TokenCommandTest, ASecondActiveTokenOfOneNameIsRefused) {
  ASSERT_EQ(Run(RunToken, {"create", "--scope", "admin", "--name", "admin"}), kExitOk);
  EXPECT_EQ(Run(RunToken, {"create", "--scope", "admin", "--name", "admin"}), kExitFailed);
  EXPECT_NE(err().find("a token named 'admin' exists"), std::string::npos) << err();
}

TEST_F(TokenCommandTest, ExpiresTakesMinutesHoursAndDays) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"90m", "2026-09-21T15:43:20.000000Z"}, {"12h", "2026-09-22T02:13:20.000000Z"},
      {"1d", "2026-09-22T14:13:20.000000Z"}, {"45s", "2026-09-21T14:14:05.000000Z"}};
  int n = 0;
  for (const auto& [duration, expires] : cases) {
    ASSERT_EQ(Run(RunToken, {"create", "--scope", "read", "--name", "t" + std::to_string(n++), "--expires", duration}),
              kExitOk)
        << err();
    EXPECT_EQ(nlohmann::json::parse(out()).at("expires_at"), expires) << duration;
  }
}

}  // namespace
}  // namespace omnihub::ctl
