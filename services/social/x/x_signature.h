// X Account Activity API authenticity (channel-formats section 7): both the challenge-response
// check (CRC) and the signature of every POST are "sha256=" + Base64(HMAC-SHA256(key = the app's
// consumer secret, message)). The CRC proves to X that the webhook knows the secret; the
// signature proves to the hub that X sent the body.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnihub::social {

// "sha256=" + Base64(HMAC-SHA256(consumer_secret, data)): the CRC response token of a crc_token,
// and the x-twitter-webhooks-signature of a raw body.
std::string XSignature(std::string_view consumer_secret, std::string_view data);

// The body answering GET ?crc_token=T (application/json): {"response_token":"sha256=..."}.
std::string XCrcResponseBody(std::string_view consumer_secret, std::string_view crc_token);

// True when `header` (x-twitter-webhooks-signature; nullopt when the request had none) is
// XSignature(consumer_secret, raw_body), compared in constant time over the bytes as received.
// False when the header is missing and always when the secret is empty (nothing is unsigned).
bool VerifyXSignature(std::string_view consumer_secret, std::optional<std::string_view> header,
                      std::string_view raw_body);

}  // namespace omnihub::social
