// Vectors: channel-formats section 3.4 (Twilio's helper-library tests, vector A, and the
// walk-through of Twilio's security page, vector B), all recomputed independently.
#include "services/sms/twilio/twilio_signature.h"

#include <gtest/gtest.h>

#include <string>

namespace omnihub::sms {
namespace {

constexpr char kToken[] = "12345";
constexpr char kUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr char kBody[] = R"({"property": "value", "boolean": true})";
constexpr char kBodySha[] = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

class TwilioSignatureTest : public ::testing::Test {
 protected:
  // Vector A's parameters, deliberately not in sorted order.
  Params params_ = {{"To", "+18005551212"},        {"CallSid", "CA1234567890ABCDE"}, {"Digits", "1234"},
                    {"Caller", "+14158675309"},    {"From", "+14158675309"}};
};

TEST_F(TwilioSignatureTest, VectorAComputesTheDocumentedSignature) {
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, params_), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, kUrl, params_, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

TEST_F(TwilioSignatureTest, VectorADuplicateNamesAreOrderedByValue) {
  const Params dup = {{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}};
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, dup), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, kUrl, dup, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
}

TEST_F(TwilioSignatureTest, VectorAAcceptsTheDefaultPortAdded) {
  // Twilio signed the URL with ":443" / ":80"; we were configured without a port.
  EXPECT_EQ(ComputeTwilioSignature(kToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params_),
            "kvajT1Ptam85bY51eRf/AJRuM3w=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, kUrl, params_, "kvajT1Ptam85bY51eRf/AJRuM3w="));
  EXPECT_TRUE(ValidTwilioSignature(kToken, "http://mycompany.com/myapp.php?foo=1&bar=2", params_,
                                   "0ZXoZLH/DfblKGATFgpif+LLRf4="));
}

TEST_F(TwilioSignatureTest, VectorAAcceptsThePortRemoved) {
  // Configured with a port; Twilio signed the URL without it.
  EXPECT_TRUE(ValidTwilioSignature(kToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params_,
                                   "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_TRUE(ValidTwilioSignature(kToken, "https://mycompany.com:1234/myapp.php?foo=1&bar=2", params_,
                                   "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  // And signed with the explicit non-default port.
  EXPECT_EQ(ComputeTwilioSignature(kToken, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", params_),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", params_,
                                   "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));
}

TEST_F(TwilioSignatureTest, VectorABodySha256Variant) {
  const std::string url = std::string(kUrl) + "&bodySHA256=" + kBodySha;
  EXPECT_EQ(ComputeTwilioSignature(kToken, url, {}), "a9nBmqA0ju/hNViExpshrM61xv4=");
  EXPECT_TRUE(ValidTwilioJsonSignature(kToken, url, kBody, "a9nBmqA0ju/hNViExpshrM61xv4="));
  const std::string only = std::string("https://mycompany.com/myapp.php?bodySHA256=") + kBodySha;
  EXPECT_EQ(ComputeTwilioSignature(kToken, only, {}), "y77kIzt2vzLz71DgmJGsen2scGs=");
  EXPECT_TRUE(ValidTwilioJsonSignature(kToken, only, kBody, "y77kIzt2vzLz71DgmJGsen2scGs="));
}

TEST_F(TwilioSignatureTest, BodySha256VariantFailsForAnotherBodyOrNoHash) {
  const std::string url = std::string(kUrl) + "&bodySHA256=" + kBodySha;
  EXPECT_FALSE(ValidTwilioJsonSignature(kToken, url, R"({"property": "value", "boolean": false})",
                                        "a9nBmqA0ju/hNViExpshrM61xv4="));
  EXPECT_FALSE(ValidTwilioJsonSignature(kToken, kUrl, kBody, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_FALSE(ValidTwilioJsonSignature("54321", url, kBody, "a9nBmqA0ju/hNViExpshrM61xv4="));
}

TEST_F(TwilioSignatureTest, VectorBFromTheSecurityPage) {
  const Params b = {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"},
                    {"From", "+12349013030"},        {"To", "+18005551212"}};
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, b), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, kUrl, b, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST_F(TwilioSignatureTest, FailsForAChangedParameter) {
  Params changed = params_;
  changed[2].second = "1235";
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, changed, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  Params added = params_;
  added.emplace_back("Extra", "");
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  Params dropped(params_.begin(), params_.end() - 1);
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, dropped, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

TEST_F(TwilioSignatureTest, FailsForAChangedUrl) {
  EXPECT_FALSE(ValidTwilioSignature(kToken, "https://mycompany.com/myapp.php?foo=1&bar=3", params_,
                                    "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_FALSE(ValidTwilioSignature(kToken, "https://mycompany.com/other.php?foo=1&bar=2", params_,
                                    "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  // A different scheme is a different URL: only the port may vary.
  EXPECT_FALSE(ValidTwilioSignature(kToken, "http://mycompany.com/myapp.php?foo=1&bar=2", params_,
                                    "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

TEST_F(TwilioSignatureTest, FailsForAWrongTokenOrHeader) {
  EXPECT_FALSE(ValidTwilioSignature("12346", kUrl, params_, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, params_, ""));
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, params_, "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
  EXPECT_FALSE(ValidTwilioSignature(kToken, kUrl, params_, "rsoydt4t1cutdk1pdd93/vvr8b8="));  // Base64 is case-sensitive
}

TEST(TwilioUrlTest, PortVariants) {
  EXPECT_EQ(TwilioUrlWithDefaultPort("https://a.example/x?y=1"), "https://a.example:443/x?y=1");
  EXPECT_EQ(TwilioUrlWithDefaultPort("HTTP://a.example"), "HTTP://a.example:80");
  EXPECT_EQ(TwilioUrlWithDefaultPort("https://u:p@a.example?q"), "https://u:p@a.example:443?q");
  EXPECT_EQ(TwilioUrlWithDefaultPort("https://[::1]/x"), "https://[::1]:443/x");
  EXPECT_EQ(TwilioUrlWithDefaultPort("https://a.example:8443/x"), "https://a.example:8443/x");
  EXPECT_EQ(TwilioUrlWithDefaultPort("ftp://a.example/x"), "ftp://a.example/x");
  EXPECT_EQ(TwilioUrlWithoutPort("https://a.example:8443/x"), "https://a.example/x");
  EXPECT_EQ(TwilioUrlWithoutPort("https://u:p@[::1]:8443/x"), "https://u:p@[::1]/x");
  EXPECT_EQ(TwilioUrlWithoutPort("https://a.example/x:80"), "https://a.example/x:80");  // a colon in the path
  EXPECT_EQ(TwilioUrlWithoutPort("not a url"), "not a url");
  EXPECT_EQ(TwilioUrlWithoutPort("https://a.example:80x/"), "https://a.example:80x/");  // malformed: unchanged
}

}  // namespace
}  // namespace omnihub::sms
