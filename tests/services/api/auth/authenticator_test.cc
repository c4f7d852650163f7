// Authenticator over a real TokenStore in a temporary directory, a real SessionSigner and
// RateLimiter on a simulated clock: who a request comes from (Bearer token or console
// cookie), and each refusal with its status, JSON error code and headers.
#include "services/api/auth/authenticator.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace omnihub::api::auth {
namespace {

constexpr uint8_t kRead = static_cast<uint8_t>(Scope::kRead);
constexpr uint8_t kWrite = static_cast<uint8_t>(Scope::kWrite);
constexpr int64_t kSecond = 1'000'000;

std::string ErrorCode(const http::HttpResponse& r) {
  return nlohmann::json::parse(r.body).at("error").at("code").get<std::string>();
}

std::optional<std::string> Header(const http::HttpResponse& r, std::string_view name) {
  auto v = http::FindHttpHeader(r.headers, name);
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest()
      : dir_(std::filesystem::path(::testing::TempDir()) /
             (std::string("authn_") + ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        tokens_((dir_ / "tokens").string(), clock_, random_),
        sessions_(std::string(32, 'k')),
        limiter_(clock_, 100, 100),
        auth_(tokens_, sessions_, limiter_, clock_) {}
  ~AuthenticatorTest() override { std::filesystem::remove_all(dir_); }

  std::string MakeToken(const std::string& name, uint8_t scopes, uint32_t rate = 0) {
    auto made = tokens_.Create(name, scopes, 0, "test", rate);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->token : "";
  }
  static http::HttpRequest Request(std::string method, http::HttpHeaders headers = {}) {
    http::HttpRequest r;
    r.method = std::move(method);
    r.path = r.target = "/api/v1/tokens";
    r.headers = std::move(headers);
    return r;
  }
  static http::HttpRequest Bearer(std::string method, const std::string& token) {
    return Request(std::move(method), {{"Authorization", "Bearer " + token}});
  }
  std::string Cookie(const std::string& token) {
    const std::string id = token.substr(4, 16);
    return sessions_.Issue(id, clock_.NowMicros() / kSecond + 3600);
  }

  std::filesystem::path dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{3};
  TokenStore tokens_;
  SessionSigner sessions_;
  RateLimiter limiter_;
  Authenticator auth_;
};

bool Allowed(const std::variant<Principal, http::HttpResponse>& result) {
  return std::holds_alternative<Principal>(result);
}

void ExpectUnauthorized(const std::variant<Principal, http::HttpResponse>& result, const std::string& context) {
  const auto* r = std::get_if<http::HttpResponse>(&result);
  ASSERT_NE(r, nullptr) << context;
  EXPECT_EQ(r->status, 401) << context;
  EXPECT_EQ(ErrorCode(*r), "unauthorized") << context;
  EXPECT_EQ(r->content_type.rfind("application/json", 0), 0u) << context;
  EXPECT_EQ(Header(*r, "WWW-Authenticate"), "Bearer realm=\"omnihub\"") << context;
}

TEST_F(AuthenticatorTest, NoOrInvalidCredentialsAre401) {
  const std::string token = MakeToken("agent", kRead);
  ExpectUnauthorized(auth_.Authorize(Request("GET"), Scope::kRead), "no credentials");
  ExpectUnauthorized(auth_.Authorize(Request("GET", {{"Authorization", "Basic YWxhZGRpbjpvcGVu"}}), Scope::kRead),
                     "basic auth");
  ExpectUnauthorized(auth_.Authorize(Request("GET", {{"Authorization", "Bearer "}}), Scope::kRead), "empty bearer");
  ExpectUnauthorized(auth_.Authorize(Bearer("GET", "ohk_nonsense"), Scope::kRead), "malformed token");
  std::string altered = token;
  altered[30] = altered[30] == 'a' ? 'b' : 'a';
  ExpectUnauthorized(auth_.Authorize(Bearer("GET", altered), Scope::kRead), "wrong secret");
  ExpectUnauthorized(auth_.Authorize(Request("GET", {{"Cookie", "omnihub_session=forged.1.00"}}), Scope::kRead),
                     "forged cookie");
}

TEST_F(AuthenticatorTest, AValidTokenGivesItsPrincipal) {
  const std::string token = MakeToken("agent", kRead | kWrite);
  auto result = auth_.Authorize(Bearer("POST", token), Scope::kWrite);
  const auto* who = std::get_if<Principal>(&result);
  ASSERT_NE(who, nullptr);
  EXPECT_EQ(who->name, "agent");
  EXPECT_FALSE(who->via_session);
  EXPECT_TRUE(Allowed(auth_.Authorize(Bearer("GET", token), std::nullopt)))
      << "any valid token when no scope is needed";
}

TEST_F(AuthenticatorTest, AMissingScopeIs403NamingIt) {
  const std::string token = MakeToken("reader", kRead);
  auto result = auth_.Authorize(Bearer("POST", token), Scope::kAdmin);
  const auto* r = std::get_if<http::HttpResponse>(&result);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(*r), "forbidden");
  EXPECT_NE(r->body.find("'admin'"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("'reader'"), std::string::npos) << r->body;
}

TEST_F(AuthenticatorTest, ARevokedTokenIsRefusedOnTheNextRequest) {
  const std::string token = MakeToken("agent", kRead);
  const std::string cookie = Cookie(token);
  ASSERT_TRUE(Allowed(auth_.Authorize(Bearer("GET", token), Scope::kRead)));
  ASSERT_TRUE(tokens_.Revoke("agent").ok());
  ExpectUnauthorized(auth_.Authorize(Bearer("GET", token), Scope::kRead), "revoked bearer");
  ExpectUnauthorized(auth_.Authorize(Request("GET", {{"Cookie", "omnihub_session=" + cookie}}), Scope::kRead),
                     "revoked token's session");
}

TEST_F(AuthenticatorTest, CookieReadsNeedNoCsrfButWritesDo) {
  const std::string token = MakeToken("console", kRead | kWrite);
  const std::string cookie = Cookie(token);
  const http::HttpHeaders with_cookie = {{"Cookie", "theme=dark; omnihub_session=" + cookie}};

  auto read = auth_.Authorize(Request("GET", with_cookie), Scope::kRead);
  const auto* who = std::get_if<Principal>(&read);
  ASSERT_NE(who, nullptr);
  EXPECT_TRUE(who->via_session);
  EXPECT_EQ(who->name, "console");

  auto no_csrf = auth_.Authorize(Request("POST", with_cookie), Scope::kWrite);
  const auto* r = std::get_if<http::HttpResponse>(&no_csrf);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(*r), "csrf_failed");

  http::HttpHeaders wrong = with_cookie;
  wrong.emplace_back("X-CSRF-Token", sessions_.CsrfFor(cookie + "x"));
  auto wrong_csrf = auth_.Authorize(Request("DELETE", wrong), Scope::kWrite);
  ASSERT_NE(std::get_if<http::HttpResponse>(&wrong_csrf), nullptr);
  EXPECT_EQ(ErrorCode(std::get<http::HttpResponse>(wrong_csrf)), "csrf_failed");

  http::HttpHeaders right = with_cookie;
  right.emplace_back("x-csrf-token", sessions_.CsrfFor(cookie));
  auto ok = auth_.Authorize(Request("POST", right), Scope::kWrite);
  ASSERT_NE(std::get_if<Principal>(&ok), nullptr);

  // A Bearer token is not sent by a browser on its own, so its writes need no CSRF token.
  EXPECT_TRUE(Allowed(auth_.Authorize(Bearer("POST", token), Scope::kWrite)));
}

TEST_F(AuthenticatorTest, AnExpiredSessionIs401) {
  const std::string token = MakeToken("console", kRead);
  const std::string cookie = Cookie(token);
  clock_.Advance(3600 * kSecond);
  ExpectUnauthorized(auth_.Authorize(Request("GET", {{"Cookie", "omnihub_session=" + cookie}}), Scope::kRead),
                     "expired session");
}

TEST_F(AuthenticatorTest, TooManyRequestsAre429WithRetryAfter) {
  const std::string slow = MakeToken("slow", kRead, /*rate=*/1);
  const std::string other = MakeToken("other", kRead);
  ASSERT_TRUE(Allowed(auth_.Authorize(Bearer("GET", slow), Scope::kRead)));
  auto limited = auth_.Authorize(Bearer("GET", slow), Scope::kRead);
  const auto* r = std::get_if<http::HttpResponse>(&limited);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(ErrorCode(*r), "rate_limited");
  EXPECT_EQ(Header(*r, "Retry-After"), "1");
  EXPECT_TRUE(Allowed(auth_.Authorize(Bearer("GET", other), Scope::kRead)))
      << "another token keeps its own allowance";
  clock_.Advance(kSecond);
  EXPECT_TRUE(Allowed(auth_.Authorize(Bearer("GET", slow), Scope::kRead)));
}

TEST_F(AuthenticatorTest, RefusalsBeforeTheLimitDoNotSpendIt) {
  const std::string slow = MakeToken("slow", kRead, /*rate=*/1);
  for (int i = 0; i < 3; ++i) {
    auto refused = auth_.Authorize(Bearer("POST", slow), Scope::kAdmin);
    ASSERT_EQ(std::get<http::HttpResponse>(refused).status, 403);
  }
  EXPECT_TRUE(Allowed(auth_.Authorize(Bearer("GET", slow), Scope::kRead)));
}

}  // namespace
}  // namespace omnihub::api::auth
