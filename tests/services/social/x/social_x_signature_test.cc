#include "services/social/x/x_signature.h"

#include <gtest/gtest.h>

#include <string>

namespace omnihub::social {
namespace {

constexpr std::string_view kSecret = "dev-x-secret";
constexpr std::string_view kBody = R"({"for_user_id":"2244994945","tweet_create_events":[]})";
// Computed independently (Python hmac) for kBody under kSecret.
constexpr std::string_view kBodySignature = "sha256=ocOiVcItMhGi0hlUv0VfMXBmMoLijkbhYSWCzY8goo0=";

// channel-formats.md section 7: X's sample consumer secret and CRC token.
TEST(XSignatureTest, CrcResponseTokenOfXsSample) {
  EXPECT_EQ(XSignature("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu", "9b4507b3-9040-4669-9ca3-6b94edb50553"),
            "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=");
}

TEST(XSignatureTest, CrcResponseBodyIsTheTokenInJson) {
  EXPECT_EQ(XCrcResponseBody("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu", "9b4507b3-9040-4669-9ca3-6b94edb50553"),
            R"({"response_token":"sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="})");
}

TEST(XSignatureTest, AcceptsTheBodysSignature) {
  EXPECT_EQ(XSignature(kSecret, kBody), kBodySignature);
  EXPECT_TRUE(VerifyXSignature(kSecret, kBodySignature, kBody));
}

TEST(XSignatureTest, RefusesABodyWithOneByteChanged) {
  std::string body(kBody);
  body[body.find("2244")] = '3';
  EXPECT_FALSE(VerifyXSignature(kSecret, kBodySignature, body));
  std::string signature(kBodySignature);
  signature[10] = signature[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyXSignature(kSecret, signature, kBody));
}

TEST(XSignatureTest, RefusesAnotherSecretsSignature) {
  EXPECT_FALSE(VerifyXSignature("other-secret", kBodySignature, kBody));
  EXPECT_FALSE(VerifyXSignature("", kBodySignature, kBody));
}

TEST(XSignatureTest, RefusesAMissingOrMalformedHeader) {
  EXPECT_FALSE(VerifyXSignature(kSecret, std::nullopt, kBody));
  EXPECT_FALSE(VerifyXSignature(kSecret, "", kBody));
  EXPECT_FALSE(VerifyXSignature(kSecret, kBodySignature.substr(7), kBody));  // without "sha256="
}

// The signature covers the bytes as sent: UTF-8 text and the \u escapes of the same text are
// different bodies (both computed independently with Python hmac).
TEST(XSignatureTest, SignsNonAsciiBodiesByteForByte) {
  constexpr std::string_view utf8 = "{\"for_user_id\":\"2244994945\",\"text\":\"Ol\xC3\xA1, caf\xC3\xA9 \xE2\x98\x95\"}";
  constexpr std::string_view escaped = R"({"for_user_id":"2244994945","text":"Ol\u00e1, caf\u00e9 \u2615"})";
  EXPECT_TRUE(VerifyXSignature(kSecret, "sha256=XVdYqZqAn6THXCuchvmb4TsJ6KvgveI6TydOh6I8ig4=", utf8));
  EXPECT_TRUE(VerifyXSignature(kSecret, "sha256=Q12dzj0c7eEsT809kMKuBnK88OMbi0msnM9+FpWH5Bs=", escaped));
  EXPECT_FALSE(VerifyXSignature(kSecret, "sha256=XVdYqZqAn6THXCuchvmb4TsJ6KvgveI6TydOh6I8ig4=", escaped));
}

}  // namespace
}  // namespace omnihub::social
