// SessionSigner: cookie values that check only with the right key, unaltered and unexpired;
// CSRF tokens bound to one cookie value; and reading a cookie from a Cookie header.
#include "services/api/auth/sessions.h"

#include <gtest/gtest.h>

#include "common/base/coding.h"
#include "common/http/webhook_auth.h"

namespace omnihub::api::auth {
namespace {

const std::string kKey(32, '\x11');
constexpr int64_t kNow = 1'800'000'000;

TEST(SessionSignerTest, IssuedCookiesCheckUntilTheyExpire) {
  SessionSigner signer(kKey);
  const std::string cookie = signer.Issue("0123456789abcdef", kNow + 60);
  EXPECT_TRUE(cookie.starts_with("0123456789abcdef." + std::to_string(kNow + 60) + ".")) << cookie;
  auto id = signer.Check(cookie, kNow);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "0123456789abcdef");
  EXPECT_TRUE(signer.Check(cookie, kNow + 59).ok());
  auto expired = signer.Check(cookie, kNow + 60);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
}

TEST(SessionSignerTest, AlteredOrForeignCookiesAreRefused) {
  SessionSigner signer(kKey);
  SessionSigner other(std::string(32, '\x22'));
  const std::string cookie = signer.Issue("0123456789abcdef", kNow + 60);
  EXPECT_FALSE(other.Check(cookie, kNow).ok());

  std::string longer = cookie;
  longer.replace(17, std::to_string(kNow + 60).size(), std::to_string(kNow + 6000));
  EXPECT_FALSE(signer.Check(longer, kNow).ok()) << "the expiry is signed";
  std::string other_id = cookie;
  other_id[0] = '1';
  EXPECT_FALSE(signer.Check(other_id, kNow).ok()) << "the token id is signed";
  std::string bad_mac = cookie;
  bad_mac.back() = bad_mac.back() == '0' ? '1' : '0';
  EXPECT_FALSE(signer.Check(bad_mac, kNow).ok());

  for (const std::string& bad : {std::string(""), std::string("abc"), std::string("a.b"), std::string(".."),
                                 "0123456789abcdef.soon." + cookie.substr(cookie.rfind('.') + 1)}) {
    EXPECT_FALSE(signer.Check(bad, kNow).ok()) << bad;
  }
  // Correctly signed, but the expiry is not a number.
  const std::string payload = "0123456789abcdef.99999999999x";
  const std::string mac = base::HexEncode(http::Hmac(http::Digest::kSha256, kKey, payload));
  EXPECT_FALSE(signer.Check(payload + "." + mac, kNow).ok());
}

TEST(SessionSignerTest, CsrfTokensBelongToOneCookie) {
  SessionSigner signer(kKey);
  const std::string a = signer.Issue("0123456789abcdef", kNow + 60);
  const std::string b = signer.Issue("0123456789abcdef", kNow + 61);
  const std::string csrf = signer.CsrfFor(a);
  EXPECT_EQ(csrf.size(), 64u);
  EXPECT_EQ(csrf, signer.CsrfFor(a));
  EXPECT_NE(csrf, signer.CsrfFor(b));
  EXPECT_TRUE(signer.CsrfMatches(a, csrf));
  EXPECT_FALSE(signer.CsrfMatches(b, csrf));
  EXPECT_FALSE(signer.CsrfMatches(a, ""));
  EXPECT_FALSE(signer.CsrfMatches(a, csrf.substr(1)));
  EXPECT_FALSE(SessionSigner(std::string(32, '\x22')).CsrfMatches(a, csrf));
}

TEST(CookieValueTest, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("omnihub_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(CookieValue("a=1; omnihub_session=x.y.z; b=2", kSessionCookie), "x.y.z");
  EXPECT_EQ(CookieValue("a=1;omnihub_session=v", kSessionCookie), "v");
  EXPECT_EQ(CookieValue("xomnihub_session=v; a=1", kSessionCookie), "");
  EXPECT_EQ(CookieValue("omnihub_session_old=v", kSessionCookie), "");
  EXPECT_EQ(CookieValue("", kSessionCookie), "");
  EXPECT_EQ(CookieValue("omnihub_session", kSessionCookie), "");
}

}  // namespace
}  // namespace omnihub::api::auth
