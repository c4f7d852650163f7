#include "services/social/meta/meta_signature.h"

#include <gtest/gtest.h>

#include <string>

namespace omnihub::social {
namespace {

constexpr std::string_view kSecret = "app_secret_example";
// channel-formats section 5.1: the example computed for the design notes.
constexpr std::string_view kBody = R"({"object":"whatsapp_business_account","entry":[]})";
constexpr std::string_view kHeader = "sha256=6eb10e0bc4192e9206e3de93178e66ea9eb262e9ea07bb66abdc83dcf8d3abf3";

TEST(MetaSignatureTest, AcceptsThePublishedVector) { EXPECT_TRUE(VerifyMetaSignature(kSecret, kHeader, kBody)); }

TEST(MetaSignatureTest, RefusesABodyWithOneByteChanged) {
  std::string body(kBody);
  body[body.size() - 2] = '}';
  EXPECT_FALSE(VerifyMetaSignature(kSecret, kHeader, body));
  EXPECT_FALSE(VerifyMetaSignature(kSecret, kHeader, std::string(kBody) + " "));
}

TEST(MetaSignatureTest, RefusesAnotherSecret) {
  EXPECT_FALSE(VerifyMetaSignature("app_secret_examplf", kHeader, kBody));
  EXPECT_FALSE(VerifyMetaSignature("", kHeader, kBody));
}

TEST(MetaSignatureTest, RefusesAMissingHeader) { EXPECT_FALSE(VerifyMetaSignature(kSecret, std::nullopt, kBody)); }

TEST(MetaSignatureTest, AcceptsUpperCaseHex) {
  EXPECT_TRUE(
      VerifyMetaSignature(kSecret, "sha256=6EB10E0BC4192E9206E3DE93178E66EA9EB262E9EA07BB66ABDC83DCF8D3ABF3", kBody));
}

TEST(MetaSignatureTest, RefusesMalformedHeaders) {
  const std::string hex(kHeader.substr(7));
  for (const std::string& header :
       {std::string(), hex, "sha1=" + hex, "SHA256=" + hex, "sha256=" + hex.substr(1), "sha256=" + hex + "0",
        "sha256= " + hex, std::string(kHeader) + " ", "sha256=" + std::string(64, 'z'), std::string("sha256=")}) {
    EXPECT_FALSE(VerifyMetaSignature(kSecret, header, kBody)) << header;
  }
}

TEST(MetaSignatureTest, ChecksTheEscapedUnicodeBytesAsReceived) {
  // Meta signs the text it sends, with non-ASCII characters escaped; the same JSON re-serialized
  // as UTF-8 is other bytes and must not pass.
  constexpr std::string_view escaped = R"({"t":"\u00e4\u00f6\u00e5"})";
  constexpr std::string_view utf8 = "{\"t\":\"\xc3\xa4\xc3\xb6\xc3\xa5\"}";
  constexpr std::string_view header = "sha256=20769eadc5a7a946576694de0845a0ed27f07e37305e15966b0fd4cf3f8567ee";
  EXPECT_TRUE(VerifyMetaSignature(kSecret, header, escaped));
  EXPECT_FALSE(VerifyMetaSignature(kSecret, header, utf8));
}

TEST(MetaHandshakeTest, AnswersTheChallengeForTheVerifyToken) {
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "dev-verify-token", "1158201444", "dev-verify-token"),
            std::optional<std::string>("1158201444"));
}

TEST(MetaHandshakeTest, RefusesAWrongToken) {
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "dev-verify-tokem", "1158201444", "dev-verify-token"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "", "1158201444", "dev-verify-token"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "", "1158201444", ""), std::nullopt);
}

TEST(MetaHandshakeTest, RefusesAWrongMode) {
  EXPECT_EQ(MetaHandshakeChallenge("unsubscribe", "dev-verify-token", "1158201444", "dev-verify-token"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("", "dev-verify-token", "1158201444", "dev-verify-token"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("Subscribe", "dev-verify-token", "1158201444", "dev-verify-token"), std::nullopt);
}

TEST(MetaHandshakeTest, RefusesChallengesThatCannotBeEchoedSafely) {
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "t", "", "t"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "t", "<script>x y</script>", "t"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "t", "12\r\n34", "t"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "t", std::string(kMaxMetaChallengeBytes + 1, '1'), "t"), std::nullopt);
  EXPECT_EQ(MetaHandshakeChallenge("subscribe", "t", std::string(kMaxMetaChallengeBytes, '1'), "t"),
            std::optional<std::string>(std::string(kMaxMetaChallengeBytes, '1')));
}

}  // namespace
}  // namespace omnihub::social
