// TokenStore on a real directory: token text and files, verification with revocation and
// expiry seen on the next call (also through another store, as omnihubctl revokes while
// omnihub-api serves), one-time login codes including concurrent redeems, and the session key.
#include "services/api/auth/token_store.h"

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/base/sha256.h"

namespace omnihub::api::auth {
namespace {

constexpr uint8_t kRead = static_cast<uint8_t>(Scope::kRead);
constexpr uint8_t kWrite = static_cast<uint8_t>(Scope::kWrite);
constexpr uint8_t kAdmin = static_cast<uint8_t>(Scope::kAdmin);
constexpr int64_t kHour = 3600LL * 1'000'000;

class TokenStoreTest : public ::testing::Test {
 protected:
  TokenStoreTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::path(::testing::TempDir()) / (std::string("tokens_") + info->name());
    std::filesystem::remove_all(root_);
    dir_ = (root_ / "api" / "tokens").string();
  }
  ~TokenStoreTest() override { std::filesystem::remove_all(root_); }

  static int Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return static_cast<int>(st.st_mode & 0777);
  }
  static nlohmann::json ReadJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
  }

  std::filesystem::path root_;
  std::string dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{7};
};

TEST_F(TokenStoreTest, CreateWritesOnlyTheHashInAPrivateFile) {
  TokenStore store(dir_, clock_, random_);
  EXPECT_EQ(Mode(dir_), 0700);
  auto made = store.Create("agent-1", kRead | kWrite, 0, "admin", 5);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(std::regex_match(made->token, std::regex("ohk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"))) << made->token;
  EXPECT_EQ(made->token.substr(4, 16), made->record.token_id);

  const std::string path = dir_ + "/" + made->record.token_id + ".json";
  EXPECT_EQ(Mode(path), 0600);
  const nlohmann::json file = ReadJson(path);
  EXPECT_EQ(file["format"], 1);
  EXPECT_EQ(file["name"], "agent-1");
  EXPECT_EQ(file["scopes"], nlohmann::json({"read", "write"}));
  EXPECT_EQ(file["sha256"], base::Sha256Hex(made->token));
  EXPECT_EQ(file["created_by"], "admin");
  EXPECT_EQ(file["rate_limit_per_s"], 5);
  EXPECT_EQ(file["created_at_us"], clock_.NowMicros());
  EXPECT_EQ(file["expires_at_us"], 0);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(made->token.substr(21)), std::string::npos) << "the secret must not be stored";
}

TEST_F(TokenStoreTest, VerifyGivesThePrincipalOfTheExactToken) {
  TokenStore store(dir_, clock_, random_);
  auto made = store.Create("agent-1", kRead, 0, "test", 3);
  ASSERT_TRUE(made.ok());
  auto who = store.Verify(made->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->token_id, made->record.token_id);
  EXPECT_EQ(who->name, "agent-1");
  EXPECT_EQ(who->scopes, kRead);
  EXPECT_EQ(who->rate_limit_per_s, 3u);
  EXPECT_FALSE(who->via_session);

  std::string altered = made->token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad : {altered, made->token.substr(0, 63), made->token + "A", std::string("ohk_"),
                                 std::string(""), "ohk_0123456789abcdef_" + std::string(43, 'A'),
                                 "ohk_0123456789ABCDEF_" + std::string(43, 'A'), made->token.substr(0, 63) + "="}) {
    auto refused = store.Verify(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_TRUE(refused.status().IsNotFound());
    EXPECT_EQ(refused.status().message(), "the token is not valid") << bad;
  }
}

TEST_F(TokenStoreTest, NamesAreCheckedAndUniqueAmongActiveTokens) {
  TokenStore store(dir_, clock_, random_);
  for (const std::string& bad : {std::string(""), std::string(65, 'a'), std::string("has space"),
                                 std::string("slash/"), std::string("0123456789abcdef")}) {
    auto refused = store.Create(bad, kRead, 0, "test");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_TRUE(refused.status().IsInvalidArgument()) << bad;
  }
  EXPECT_TRUE(store.Create(std::string(64, 'a'), kRead, 0, "test").ok());
  EXPECT_TRUE(store.Create("ana@example.com", kRead, 0, "test").ok());
  EXPECT_TRUE(store.Create("noscope", 0, 0, "test").status().IsInvalidArgument());
  EXPECT_TRUE(store.Create("badscope", 0x10, 0, "test").status().IsInvalidArgument());
  EXPECT_TRUE(store.Create("negative", kRead, -1, "test").status().IsInvalidArgument());

  ASSERT_TRUE(store.Create("admin", kAdmin, 0, "test").ok());
  auto twice = store.Create("admin", kRead, 0, "test");
  EXPECT_EQ(twice.status().code(), base::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store.Revoke("admin").ok());
  EXPECT_TRUE(store.Create("admin", kAdmin, 0, "test").ok()) << "a revoked token's name is free again";

  ASSERT_TRUE(store.Create("short", kRead, kHour, "test").ok());
  clock_.Advance(kHour);
  EXPECT_TRUE(store.Create("short", kRead, kHour, "test").ok()) << "an expired token's name is free again";
}

TEST_F(TokenStoreTest, ListIsOldestFirstWithRevokedTokens) {
  TokenStore store(dir_, clock_, random_);
  ASSERT_TRUE(store.Create("first", kRead, 0, "test").ok());
  clock_.Advance(1);
  ASSERT_TRUE(store.Create("second", kRead, kHour, "test").ok());
  clock_.Advance(1);
  ASSERT_TRUE(store.Create("third", kAdmin, 0, "test").ok());
  ASSERT_TRUE(store.Revoke("second").ok());
  // Leftovers that are not token files are not listed.
  std::ofstream(dir_ + "/0123456789abcdef.json.tmp-1") << "{";
  std::ofstream(dir_ + "/notes.json") << "{}";

  auto all = store.List();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "first");
  EXPECT_EQ((*all)[1].name, "second");
  EXPECT_NE((*all)[1].revoked_at_us, 0);
  EXPECT_EQ((*all)[1].expires_at_us, (*all)[1].created_at_us + kHour);
  EXPECT_EQ((*all)[2].name, "third");
  EXPECT_EQ((*all)[2].revoked_at_us, 0);
}

TEST_F(TokenStoreTest, ListSkipsADamagedFileInsteadOfFailing) {
  TokenStore store(dir_, clock_, random_);
  ASSERT_TRUE(store.Create("good", kRead, 0, "test").ok());
  std::ofstream(dir_ + "/0123456789abcdef.json") << "{\"format\": 1";
  std::ofstream(dir_ + "/fedcba9876543210.json") << R"({"format": 2, "token_id": "fedcba9876543210"})";
  auto all = store.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "good");
  EXPECT_TRUE(store.PrincipalOf("fedcba9876543210").status().IsCorruption());
}

TEST_F(TokenStoreTest, RevocationTakesEffectOnTheNextVerifyEvenFromAnotherStore) {
  TokenStore api(dir_, clock_, random_);
  TokenStore ctl(dir_, clock_, random_);
  auto made = ctl.Create("agent", kRead, 0, "test");
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(api.Verify(made->token).ok());  // cached now
  ASSERT_TRUE(api.PrincipalOf(made->record.token_id).ok());

  auto revoked = ctl.Revoke(made->record.token_id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at_us, clock_.NowMicros());
  auto refused = api.Verify(made->token);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "the token 'agent' has been revoked");
  EXPECT_FALSE(api.PrincipalOf(made->record.token_id).ok());

  clock_.Advance(5);
  auto again = ctl.Revoke("agent");
  ASSERT_TRUE(again.ok()) << "revoking twice answers the revoked record";
  EXPECT_EQ(again->revoked_at_us, revoked->revoked_at_us);
  EXPECT_TRUE(ctl.Revoke("nobody").status().IsNotFound());
  EXPECT_TRUE(ctl.Revoke("0123456789abcdef").status().IsNotFound());
}

TEST_F(TokenStoreTest, RevokeByNamePicksTheActiveToken) {
  TokenStore store(dir_, clock_, random_);
  auto old_one = store.Create("agent", kRead, 0, "test");
  ASSERT_TRUE(old_one.ok());
  ASSERT_TRUE(store.Revoke("agent").ok());
  clock_.Advance(1);
  auto new_one = store.Create("agent", kRead, 0, "test");
  ASSERT_TRUE(new_one.ok());
  auto revoked = store.Revoke("agent");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->token_id, new_one->record.token_id);
}

TEST_F(TokenStoreTest, ExpiredTokensAreRefused) {
  TokenStore store(dir_, clock_, random_);
  auto made = store.Create("temp", kRead, kHour, "test");
  ASSERT_TRUE(made.ok());
  clock_.Advance(kHour - 1);
  EXPECT_TRUE(store.Verify(made->token).ok());
  clock_.Advance(1);
  auto refused = store.Verify(made->token);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "the token 'temp' has expired");
  EXPECT_FALSE(store.PrincipalOf(made->record.token_id).ok());
}

TEST_F(TokenStoreTest, AChangedFileIsReadAgain) {
  TokenStore store(dir_, clock_, random_);
  auto made = store.Create("agent", kRead, 0, "test");
  ASSERT_TRUE(made.ok());
  ASSERT_EQ(store.Verify(made->token)->scopes, kRead);
  // An operator edits the file by hand (in place, same inode): the new scopes apply.
  const std::string path = dir_ + "/" + made->record.token_id + ".json";
  nlohmann::json file = ReadJson(path);
  file["scopes"] = {"read", "admin"};
  std::ofstream(path) << file.dump(2) << "\n";
  EXPECT_EQ(store.Verify(made->token)->scopes, kRead | kAdmin);
  std::filesystem::remove(path);
  EXPECT_FALSE(store.Verify(made->token).ok());
}

TEST_F(TokenStoreTest, LoginCodesWorkOnceAndExpire) {
  TokenStore store(dir_, clock_, random_);
  auto made = store.Create("console", kRead | kWrite, 0, "test");
  ASSERT_TRUE(made.ok());
  auto code = store.CreateLoginCode("console", 15 * 60 * 1'000'000LL);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_TRUE(std::regex_match(*code, std::regex("[A-Za-z0-9_-]{43}")));
  const std::string file = dir_ + "/login-" + base::Sha256Hex(*code) + ".json";
  EXPECT_EQ(Mode(file), 0600);
  EXPECT_EQ(ReadJson(file)["format"], 1);

  auto who = store.RedeemLoginCode(*code);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->token_id, made->record.token_id);
  EXPECT_EQ(who->name, "console");
  EXPECT_FALSE(std::filesystem::exists(file));
  auto second = store.RedeemLoginCode(*code);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsNotFound());

  auto expiring = store.CreateLoginCode(made->record.token_id, 10'000'000);
  ASSERT_TRUE(expiring.ok());
  clock_.Advance(10'000'000);
  auto late = store.RedeemLoginCode(*expiring);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("expired"), std::string::npos);

  EXPECT_TRUE(store.RedeemLoginCode("short").status().IsNotFound());
  EXPECT_TRUE(store.RedeemLoginCode("../../etc/passwd").status().IsNotFound());
  EXPECT_TRUE(store.CreateLoginCode("nobody", kHour).status().IsNotFound());
  EXPECT_TRUE(store.CreateLoginCode("console", 0).status().IsInvalidArgument());
}

TEST_F(TokenStoreTest, ALoginCodeOfARevokedTokenIsRefused) {
  TokenStore store(dir_, clock_, random_);
  ASSERT_TRUE(store.Create("console", kRead, 0, "test").ok());
  auto code = store.CreateLoginCode("console", kHour);
  ASSERT_TRUE(code.ok());
  ASSERT_TRUE(store.Revoke("console").ok());
  EXPECT_FALSE(store.RedeemLoginCode(*code).ok());
  EXPECT_EQ(store.CreateLoginCode("console", kHour).status().code(), base::StatusCode::kFailedPrecondition);
}

TEST_F(TokenStoreTest, NewLoginCodesSweepExpiredOnes) {
  TokenStore store(dir_, clock_, random_);
  ASSERT_TRUE(store.Create("console", kRead, 0, "test").ok());
  auto old_code = store.CreateLoginCode("console", 1'000'000);
  ASSERT_TRUE(old_code.ok());
  const std::string old_file = dir_ + "/login-" + base::Sha256Hex(*old_code) + ".json";
  ASSERT_TRUE(std::filesystem::exists(old_file));
  clock_.Advance(1'000'000);
  ASSERT_TRUE(store.CreateLoginCode("console", 1'000'000).ok());
  EXPECT_FALSE(std::filesystem::exists(old_file));
}

TEST_F(TokenStoreTest, ConcurrentRedeemsOfOneCodeHaveOneWinner) {
  TokenStore store(dir_, clock_, random_);
  ASSERT_TRUE(store.Create("console", kRead, 0, "test").ok());
  for (int round = 0; round < 20; ++round) {
    auto code = store.CreateLoginCode("console", kHour);
    ASSERT_TRUE(code.ok());
    std::atomic<int> winners{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        // A store per thread, like separate API processes on one directory.
        base::SeededRandom random(static_cast<uint64_t>(round * 10 + i + 1));
        TokenStore own(dir_, clock_, random);
        while (!go.load()) std::this_thread::yield();
        if (own.RedeemLoginCode(*code).ok()) winners.fetch_add(1);
      });
    }
    go.store(true);
    for (auto& t : threads) t.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
  }
}

TEST_F(TokenStoreTest, ConcurrentCreatesOfOneNameHaveOneWinner) {
  std::atomic<int> winners{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      base::SeededRandom random(static_cast<uint64_t>(i + 1));
      TokenStore own(dir_, clock_, random);
      while (!go.load()) std::this_thread::yield();
      if (own.Create("admin", kAdmin, 0, "test").ok()) winners.fetch_add(1);
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST_F(TokenStoreTest, SessionKeyIsMadeOnceAndKept) {
  std::string first;
  {
    TokenStore store(dir_, clock_, random_);
    auto key = store.SessionKey();
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->size(), 32u);
    first = *key;
    EXPECT_EQ(Mode(dir_ + "/session.key"), 0600);
  }
  base::SeededRandom other(12345);
  TokenStore restarted(dir_, clock_, other);
  auto again = restarted.SessionKey();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, first);

  std::ofstream(dir_ + "/session.key", std::ios::trunc) << "short";
  EXPECT_TRUE(restarted.SessionKey().status().IsCorruption());
}

TEST_F(TokenStoreTest, ConcurrentSessionKeyCreatorsAgree) {
  std::vector<std::string> keys(4);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      base::SeededRandom random(i + 100);
      TokenStore own(dir_, clock_, random);
      while (!go.load()) std::this_thread::yield();
      auto key = own.SessionKey();
      if (key.ok()) keys[i] = *key;
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  for (const std::string& key : keys) {
    EXPECT_EQ(key.size(), 32u);
    EXPECT_EQ(key, keys[0]);
  }
}

TEST_F(TokenStoreTest, ADirectoryThatCannotBeMadeIsAnErrorNamingIt) {
  std::filesystem::create_directories(root_);
  std::ofstream(root_ / "file") << "x";
  TokenStore store((root_ / "file" / "tokens").string(), clock_, random_);
  auto made = store.Create("agent", kRead, 0, "test");
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.status().message().find("file/tokens"), std::string::npos) << made.status().ToString();
  auto listed = store.List();
  EXPECT_FALSE(listed.ok());
}

}  // namespace
}  // namespace omnihub::api::auth
