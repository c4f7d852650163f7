#include "services/sms/vonage/vonage_signature.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/base/coding.h"
#include "common/base/text.h"
#include "common/http/webhook_auth.h"

namespace omnihub::sms {
namespace {

struct MethodName {
  VonageSignatureMethod method;
  std::string_view name;
};
constexpr MethodName kMethods[] = {
    {VonageSignatureMethod::kMd5Hash, "md5hash"},   {VonageSignatureMethod::kMd5Hmac, "md5"},
    {VonageSignatureMethod::kSha1Hmac, "sha1"},     {VonageSignatureMethod::kSha256Hmac, "sha256"},
    {VonageSignatureMethod::kSha512Hmac, "sha512"},
};

}  // namespace

base::Result<VonageSignatureMethod> ParseVonageSignatureMethod(std::string_view name) {
  const std::string lower = base::LowerAscii(base::Trim(name));
  for (const auto& m : kMethods) {
    if (m.name == lower) return m.method;
  }
  return base::Status::InvalidArgument("unknown Vonage signature method " + base::QuoteForMessage(name) +
                                 " (use md5hash, md5, sha1, sha256 or sha512)");
}

std::string_view VonageSignatureMethodName(VonageSignatureMethod method) {
  for (const auto& m : kMethods) {
    if (m.method == method) return m.name;
  }
  return "unknown";
}

std::string VonageStringToSign(const Params& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& p : params) {
    if (p.first != "sig") sorted.push_back(&p);
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string out;
  for (const auto* p : sorted) {
    out += '&';
    out += p->first;
    out += '=';
    for (char c : p->second) out += (c == '&' || c == '=') ? '_' : c;
  }
  return out;
}

std::string ComputeVonageSignature(VonageSignatureMethod method, std::string_view secret, const Params& params) {
  const std::string data = VonageStringToSign(params);
  switch (method) {
    case VonageSignatureMethod::kMd5Hash:
      return base::HexEncode(http::PlainDigest(http::Digest::kMd5, data + std::string(secret)));
    case VonageSignatureMethod::kMd5Hmac:
      return base::HexEncode(http::Hmac(http::Digest::kMd5, secret, data));
    case VonageSignatureMethod::kSha1Hmac:
      return base::HexEncode(http::Hmac(http::Digest::kSha1, secret, data));
    case VonageSignatureMethod::kSha256Hmac:
      return base::HexEncode(http::Hmac(http::Digest::kSha256, secret, data));
    case VonageSignatureMethod::kSha512Hmac:
      return base::HexEncode(http::Hmac(http::Digest::kSha512, secret, data));
  }
  return {};
}

bool ValidVonageSignature(VonageSignatureMethod method, std::string_view secret, const Params& params) {
  const std::string* sig = FindParam(params, "sig");
  if (sig == nullptr || sig->empty()) return false;
  return http::ConstantTimeEqualsIgnoreCase(ComputeVonageSignature(method, secret, params), *sig);
}

base::Status CheckVonageTimestamp(const Params& params, int64_t now_us, int64_t window_s) {
  const std::string* text = FindParam(params, "timestamp");
  if (text == nullptr) return base::Status::InvalidArgument("parameter 'timestamp' is missing (a signed request carries one)");
  int64_t seconds = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, seconds);
  // Unix seconds: bounded so the conversion to microseconds below cannot overflow.
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;
  if (text->empty() || ec != std::errc() || ptr != end || seconds < 0 || seconds > kMaxSeconds) {
    return base::Status::InvalidArgument("parameter 'timestamp' is not a number of seconds: " + base::QuoteForMessage(*text));
  }
  const int64_t skew_s = now_us / 1'000'000 - seconds;
  if (skew_s > window_s || skew_s < -window_s) {
    return base::Status::InvalidArgument("parameter 'timestamp' " + *text + " is " + std::to_string(skew_s < 0 ? -skew_s : skew_s) +
                                   " s " + (skew_s < 0 ? "ahead of" : "behind") + " the clock (allowed: " +
                                   std::to_string(window_s) + " s)");
  }
  return base::Status::Ok();
}

base::Status VerifyVonageRequest(VonageSignatureMethod method, std::string_view secret, const Params& params,
                           int64_t now_us, int64_t window_s) {
  if (FindParam(params, "sig") == nullptr) return base::Status::InvalidArgument("parameter 'sig' is missing (is signing on?)");
  if (!ValidVonageSignature(method, secret, params)) {
    return base::Status::InvalidArgument("signature 'sig' does not match (" + std::string(VonageSignatureMethodName(method)) +
                                   " with the configured signature secret)");
  }
  return CheckVonageTimestamp(params, now_us, window_s);
}

}  // namespace omnihub::sms
