// The console's session routes through the real router and authenticator, with an https
// public_url: the login link's cookie (Secure, Max-Age = session_ttl_s) and its single use,
// POST /api/v1/session, GET /api/v1/session with and without the cookie, expiry on the
// simulated clock, and DELETE /api/v1/session.
#include <gtest/gtest.h>

#include "services/api/auth/sessions.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

class SessionsTest : public testing::EndpointHarness {
 protected:
  SessionsTest()
      : EndpointHarness("[unifier]\npage_max = 100\n[api]\npublic_url = \"https://hub.example.com\"\n"
                        "session_ttl_s = 3600\n") {
    EXPECT_TRUE(AddSessionRoutes(routes(), services()).ok());
  }
  // The cookie value of a Set-Cookie header.
  static std::string CookieValueOf(const std::string& set_cookie) {
    const std::string prefix = std::string(auth::kSessionCookie) + "=";
    EXPECT_EQ(set_cookie.rfind(prefix, 0), 0u) << set_cookie;
    return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
  }
  http::HttpHeaders WithCookie(const std::string& value) {
    return {{"Cookie", std::string(auth::kSessionCookie) + "=" + value}};
  }
};

TEST_F(SessionsTest, TheLoginLinkSetsASecureCookieOnce) {
  auto code = services().tokens.CreateLoginCode("agent-bo", 60'000'000);
  ASSERT_TRUE(code.ok());
  auto r = Call("GET", "/login?code=" + *code, "");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(Header(r, "Location"), "/");
  const std::string set_cookie = Header(r, "Set-Cookie");
  const std::string value = CookieValueOf(set_cookie);
  EXPECT_EQ(set_cookie, "omnihub_session=" + value + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600; Secure");

  auto session = Call("GET", "/api/v1/session", "", "", WithCookie(value));
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(Json(session)["name"], "agent-bo");
  EXPECT_EQ(Json(session)["scopes"], nlohmann::json({"read", "write"}));
  EXPECT_EQ(Json(session)["csrf_token"], services().sessions.CsrfFor(value));

  ExpectError(Call("GET", "/login?code=" + *code, ""), 401, "unauthorized", "code");
  ExpectError(Call("GET", "/login", ""), 401, "unauthorized", "code");
  ExpectError(Call("GET", "/login?code=%zz", ""), 400, "bad_request", "query");
}

TEST_F(SessionsTest, ASessionEndsAfterItsLifetime) {
  auto r = Call("POST", "/api/v1/session", "", R"({"token": ")" + reader_ + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string value = CookieValueOf(Header(r, "Set-Cookie"));
  EXPECT_EQ(Json(r)["name"], "agent-ana");
  EXPECT_EQ(Json(r)["csrf_token"], services().sessions.CsrfFor(value));
  auto& clock = dynamic_cast<base::ManualClock&>(services().clock);
  clock.Advance(3599'000'000);
  EXPECT_EQ(Call("GET", "/api/v1/session", "", "", WithCookie(value)).status, 200);
  clock.Advance(1'000'000);
  ExpectError(Call("GET", "/api/v1/session", "", "", WithCookie(value)), 401, "unauthorized", "");
}

TEST_F(SessionsTest, PostSessionRefusals) {
  ExpectError(Call("POST", "/api/v1/session", "", R"({"token": "ohk_x"})"), 401, "unauthorized", "token");
  ExpectError(Call("POST", "/api/v1/session", "", R"({"token": 5})"), 400, "bad_request", "token");
  ExpectError(Call("POST", "/api/v1/session", "", "not json"), 400, "bad_request", "body");
  const auto form = Call("POST", "/api/v1/session", "", "", {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectError(form, 400, "bad_request", "Content-Type");
  EXPECT_EQ(Header(form, "Set-Cookie"), "");
}

TEST_F(SessionsTest, BearerSessionsHaveNoCsrfTokenAndLogoutClearsTheCookie) {
  auto r = Get("/api/v1/session");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(Json(r).contains("csrf_token"));
  ExpectError(Call("GET", "/api/v1/session", ""), 401, "unauthorized", "");
  auto out = Call("DELETE", "/api/v1/session", "");
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(Header(out, "Set-Cookie"), "omnihub_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure");
}

}  // namespace
}  // namespace omnihub::api
