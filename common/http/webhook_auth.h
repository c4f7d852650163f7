// The primitives the webhook signature checks share (OpenSSL): HMAC and plain digests,
// Base64, and comparisons in constant time so that a forger learns nothing from how long a
// rejection took.
//
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace omnihub::http {

enum class Digest { kMd5, kSha1, kSha256, kSha512 };

// Raw bytes of HMAC(key, data) with the given digest.
std::string Hmac(Digest digest, std::string_view key, std::string_view data);

// Raw bytes of the plain digest of `data`.
std::string PlainDigest(Digest digest, std::string_view data);

// Standard Base64 (RFC 4648 section 4) with '=' padding.
std::string Base64Encode(std::string_view bytes);

// True when `a` and `b` are equal; the time taken depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// As ConstantTimeEquals, with ASCII letters compared case-insensitively (hex digests).
bool ConstantTimeEqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace omnihub::http
