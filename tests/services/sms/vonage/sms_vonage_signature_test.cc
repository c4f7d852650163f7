// Vectors: channel-formats section 4.3 (Vonage/vonage-php-sdk-core test/Client/SignatureTest.php,
// secret my_secret_key_for_testing), all recomputed independently.
#include "services/sms/vonage/vonage_signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "my_secret_key_for_testing";
constexpr int64_t kSignedAtUs = int64_t{1385047698} * 1'000'000;

class VonageSignatureTest : public ::testing::Test {
 protected:
  Params params_ = {{"msisdn", "14843472194"},   {"to", "13239877404"},
                    {"messageId", "020000001B0FE827"}, {"text", "Test again"},
                    {"type", "text"},            {"message-timestamp", "2013-11-21 15:27:30"},
                    {"timestamp", "1385047698"}};

  Params Signed(const std::string& sig) const {
    Params p = params_;
    p.emplace_back("sig", sig);
    return p;
  }
};

TEST_F(VonageSignatureTest, StringToSignSortsAndPrefixesEveryPair) {
  EXPECT_EQ(VonageStringToSign(Signed("ignored")),
            "&message-timestamp=2013-11-21 15:27:30&messageId=020000001B0FE827&msisdn=14843472194&text=Test again"
            "&timestamp=1385047698&to=13239877404&type=text");
}

TEST_F(VonageSignatureTest, EveryMethodMatchesTheSdkVector) {
  const struct {
    VonageSignatureMethod method;
    std::string sig;
  } cases[] = {
      {VonageSignatureMethod::kMd5Hash, "d2e7b1dc968737c5998ad624e02f90b7"},
      {VonageSignatureMethod::kMd5Hmac, "DDEBD46008C2D4E93CCE578A332A52D5"},
      {VonageSignatureMethod::kSha1Hmac, "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A"},
      {VonageSignatureMethod::kSha256Hmac, "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330"},
      {VonageSignatureMethod::kSha512Hmac,
       "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD914"
       "4B5A426B94FE82"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(VonageSignatureMethodName(c.method)));
    std::string lower = c.sig;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(ComputeVonageSignature(c.method, kSecret, params_), lower);
    // Upper- and lower-case hex are both accepted (the PHP SDK sends upper case).
    EXPECT_TRUE(ValidVonageSignature(c.method, kSecret, Signed(c.sig)));
    EXPECT_TRUE(ValidVonageSignature(c.method, kSecret, Signed(lower)));
    EXPECT_TRUE(VerifyVonageRequest(c.method, kSecret, Signed(c.sig), kSignedAtUs).ok());
  }
}

TEST_F(VonageSignatureTest, ReplacesAmpersandAndEqualsInValues) {
  const Params p = {{"keyword", "TEST"},
                    {"message-timestamp", "2017-04-04 22:57:47"},
                    {"messageId", "0B00000042AC53BD"},
                    {"msisdn", "14843472194"},
                    {"nonce", "929d6744-bd28-42c8-b6cf-31d5b4f43732"},
                    {"text", "Test with & and ="},
                    {"timestamp", "1491346667"},
                    {"to", "12192259404"},
                    {"type", "text"},
                    {"sig", "e06d9763e3fd0b9c31beb5fc2fcb011c"}};
  EXPECT_THAT(VonageStringToSign(p), HasSubstr("&text=Test with _ and _&"));
  EXPECT_EQ(ComputeVonageSignature(VonageSignatureMethod::kMd5Hash, kSecret, p), "e06d9763e3fd0b9c31beb5fc2fcb011c");
  EXPECT_TRUE(ValidVonageSignature(VonageSignatureMethod::kMd5Hash, kSecret, p));
}

TEST_F(VonageSignatureTest, FailsForAChangedParameterSecretOrMethod) {
  Params changed = Signed("DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330");
  EXPECT_TRUE(ValidVonageSignature(VonageSignatureMethod::kSha256Hmac, kSecret, changed));
  changed[3].second = "Test again!";
  EXPECT_FALSE(ValidVonageSignature(VonageSignatureMethod::kSha256Hmac, kSecret, changed));
  EXPECT_THAT(VerifyVonageRequest(VonageSignatureMethod::kSha256Hmac, kSecret, changed, kSignedAtUs).message(),
              HasSubstr("does not match"));
  const Params good = Signed("d2e7b1dc968737c5998ad624e02f90b7");
  EXPECT_FALSE(ValidVonageSignature(VonageSignatureMethod::kMd5Hash, "another_secret", good));
  EXPECT_FALSE(ValidVonageSignature(VonageSignatureMethod::kMd5Hmac, kSecret, good));
  EXPECT_FALSE(ValidVonageSignature(VonageSignatureMethod::kMd5Hash, kSecret, params_));  // no sig
  EXPECT_THAT(VerifyVonageRequest(VonageSignatureMethod::kMd5Hash, kSecret, params_, kSignedAtUs).message(),
              HasSubstr("'sig' is missing"));
}

TEST_F(VonageSignatureTest, StaleOrFutureTimestampFails) {
  const Params good = Signed("d2e7b1dc968737c5998ad624e02f90b7");
  EXPECT_TRUE(CheckVonageTimestamp(good, kSignedAtUs + 300'000'000).ok());
  EXPECT_TRUE(CheckVonageTimestamp(good, kSignedAtUs - 300'000'000).ok());
  const base::Status stale = VerifyVonageRequest(VonageSignatureMethod::kMd5Hash, kSecret, good, kSignedAtUs + 301'000'000);
  EXPECT_TRUE(stale.IsInvalidArgument());
  EXPECT_THAT(stale.message(), HasSubstr("'timestamp' 1385047698 is 301 s behind the clock"));
  EXPECT_THAT(CheckVonageTimestamp(good, kSignedAtUs - 301'000'000).message(), HasSubstr("ahead of the clock"));
  EXPECT_TRUE(CheckVonageTimestamp(good, kSignedAtUs + 3600'000'000, 7200).ok());  // a wider window
}

TEST_F(VonageSignatureTest, MissingOrGarbledTimestampFails) {
  EXPECT_THAT(CheckVonageTimestamp({}, kSignedAtUs).message(), HasSubstr("'timestamp' is missing"));
  for (std::string bad : {"", "abc", "1385047698.5", "-1", "+1385047698", "99999999999999999999"}) {
    EXPECT_THAT(CheckVonageTimestamp({{"timestamp", bad}}, kSignedAtUs).message(),
                HasSubstr("'timestamp' is not a number"))
        << bad;
  }
}

TEST(VonageSignatureMethodTest, ParsesTheDashboardNames) {
  EXPECT_EQ(*ParseVonageSignatureMethod("md5hash"), VonageSignatureMethod::kMd5Hash);
  EXPECT_EQ(*ParseVonageSignatureMethod("MD5"), VonageSignatureMethod::kMd5Hmac);
  EXPECT_EQ(*ParseVonageSignatureMethod(" sha1 "), VonageSignatureMethod::kSha1Hmac);
  EXPECT_EQ(*ParseVonageSignatureMethod("sha256"), VonageSignatureMethod::kSha256Hmac);
  EXPECT_EQ(*ParseVonageSignatureMethod("sha512"), VonageSignatureMethod::kSha512Hmac);
  EXPECT_THAT(ParseVonageSignatureMethod("sha384").status().message(), HasSubstr("use md5hash, md5, sha1, sha256 or sha512"));
  for (auto m : {VonageSignatureMethod::kMd5Hash, VonageSignatureMethod::kSha512Hmac}) {
    EXPECT_EQ(*ParseVonageSignatureMethod(VonageSignatureMethodName(m)), m);
  }
}

}  // namespace
}  // namespace omnihub::sms
