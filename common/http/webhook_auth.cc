#include "common/http/webhook_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace omnihub::http {
namespace {

const EVP_MD* Md(Digest digest) {
  switch (digest) {
    case Digest::kMd5:
      return EVP_md5();
    case Digest::kSha1:
      return EVP_sha1();
    case Digest::kSha256:
      return EVP_sha256();
    case Digest::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace

std::string Hmac(Digest digest, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() accepts a null data pointer only with length 0; string_views may hold nullptr.
  static const unsigned char kEmpty = 0;
  const auto* d = data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  const void* k = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  if (HMAC(Md(digest), k, static_cast<int>(key.size()), d, data.size(), out, &len) == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string PlainDigest(Digest digest, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, Md(digest), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths are public (a digest's length is known to everybody); contents are not.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ConstantTimeEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Case folding without a data-dependent branch: a comparison result used as a number.
  auto fold = [](unsigned char c) {
    const unsigned is_upper = static_cast<unsigned>(c - 'A') < 26u;
    return static_cast<unsigned char>(c + (is_upper << 5));
  };
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(fold(static_cast<unsigned char>(a[i])) ^ fold(static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

}  // namespace omnihub::http
