// Vonage signed webhooks (the SMS API's `sig` parameter, docs/sms.md, channel-formats section
// 4.3): every received parameter except `sig`, sorted by name, '&' and '=' inside values
// replaced by '_', written "&name=value" one after another; then either MD5(string + secret)
// ("md5hash", the dashboard default) or HMAC(secret, string) with MD5, SHA-1, SHA-256 or
// SHA-512, in hex. Vonage's SDKs emit upper- or lower-case hex; comparison ignores case and
// takes constant time. A signed request also carries `timestamp` (Unix seconds), checked
// against the clock to refuse old requests.
//
// The secret is the account's signature secret, not its API secret.
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "services/sms/form_params.h"

namespace omnihub::sms {

enum class VonageSignatureMethod { kMd5Hash, kMd5Hmac, kSha1Hmac, kSha256Hmac, kSha512Hmac };

// The dashboard's names: "md5hash", "md5", "sha1", "sha256", "sha512" (case-insensitive).
// InvalidArgument naming the accepted values otherwise.
base::Result<VonageSignatureMethod> ParseVonageSignatureMethod(std::string_view name);
std::string_view VonageSignatureMethodName(VonageSignatureMethod method);

// "&message-timestamp=2013-11-21 15:27:30&messageId=...&type=text": the parameters without
// `sig`, sorted by name then value (byte order), values with '&' and '=' replaced by '_'.
std::string VonageStringToSign(const Params& params);

// Lower-case hex signature of `params` (its `sig`, if any, ignored).
std::string ComputeVonageSignature(VonageSignatureMethod method, std::string_view secret, const Params& params);

// True when `params` has a `sig` equal (ignoring case) to ComputeVonageSignature.
bool ValidVonageSignature(VonageSignatureMethod method, std::string_view secret, const Params& params);

// InvalidArgument naming 'timestamp' when it is missing, not a decimal number of seconds, or
// more than `window_s` seconds away from `now_us` (in either direction: a clock ahead of ours
// is as suspicious as a replay).
inline constexpr int64_t kVonageDefaultWindowSeconds = 300;
base::Status CheckVonageTimestamp(const Params& params, int64_t now_us, int64_t window_s = kVonageDefaultWindowSeconds);

// Both checks: the signature first (InvalidArgument "signature ... does not match" or
// "'sig' is missing"), then the timestamp.
base::Status VerifyVonageRequest(VonageSignatureMethod method, std::string_view secret, const Params& params,
                           int64_t now_us, int64_t window_s = kVonageDefaultWindowSeconds);

}  // namespace omnihub::sms
