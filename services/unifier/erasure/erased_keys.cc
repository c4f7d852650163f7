#include "services/unifier/erasure/erased_keys.h"

#include "common/http/webhook_auth.h"

namespace omnihub::unifier {

std::string ErasedKeyWithSecret(std::string_view secret, ErasedKind kind, std::string_view key) {
  std::string out(1, static_cast<char>(kind));
  out += http::Hmac(http::Digest::kSha256, secret, key);
  return out;
}

std::string ErasedKey(const Store& store, ErasedKind kind, std::string_view key) {
  return ErasedKeyWithSecret(store.erasure_secret(), kind, key);
}

base::Result<bool> IsErased(Store& store, ErasedKind kind, std::string_view key) {
  auto stored = store.GetRaw(store.erased_keys(), ErasedKey(store, kind, key));
  if (!stored.ok()) return stored.status();
  return stored->has_value();
}

}  // namespace omnihub::unifier
