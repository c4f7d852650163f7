// Authenticity of Meta's webhook requests (Messenger, Instagram and WhatsApp Cloud share one
// Meta app webhook; docs/social.md, channel-formats section 5.1).
//
// A notification POST carries X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body
// under the app secret. Meta signs the escaped-Unicode text it sends ("\u00e4"), so the check
// runs over the bytes as received and never over a re-serialized body. The subscription GET
// echoes a challenge back when it names the account's verify token.
//
// Both comparisons run in constant time, so a forger learns nothing from how long a rejection
// took. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnihub::social {

// True when `header` (the X-Hub-Signature-256 value; nullopt when the request had none) is
// "sha256=<hex HMAC-SHA256(app_secret, raw_body)>", the hex in either case. False when it is
// missing, malformed or wrong, and always false for an empty app secret (a configuration that
// lost its secret must not accept what anyone can sign).
bool VerifyMetaSignature(std::string_view app_secret, std::optional<std::string_view> header,
                         std::string_view raw_body);

// The subscription handshake (GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C): the
// challenge to answer (text/plain) when `mode` is "subscribe", `token` equals `verify_token`
// (compared in constant time, an empty verify token matching nothing) and `challenge` is 1 to
// kMaxMetaChallengeBytes visible ASCII characters; nullopt otherwise (the caller answers 403).
// The challenge is reflected into a response, so anything else in it is refused.
std::optional<std::string> MetaHandshakeChallenge(std::string_view mode, std::string_view token,
                                                  std::string_view challenge, std::string_view verify_token);

// Meta's challenges are decimal integers; this leaves ample room.
inline constexpr size_t kMaxMetaChallengeBytes = 256;

}  // namespace omnihub::social
