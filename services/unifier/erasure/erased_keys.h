// What an erasure leaves behind so that nothing it removed can come back (docs/erasure.md,
// docs/formats/erasure.md): in `erased_keys`, one keyed hash per removed lookup key, never the
// key itself. Ingest asks IsErased before storing, so a provider's retry of an erased message,
// a late status or reaction naming one, is dropped as a duplicate, days later too.
//
// Each key is a kind byte followed by HMAC-SHA256(store.erasure_secret(), the original key):
// the secret is per installation, so a hash cannot be reversed by hashing guessed addresses.
//
// Thread-safety: pure functions; IsErased reads through the thread-safe Store.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

enum class ErasedKind : char {
  kDedup = '\x01',            // DedupKey of an erased event: its provider retry is a duplicate
  kIdentity = '\x02',         // IdentityKey of an erased identity (kept as evidence; it resolves to nothing)
  kMessageRef = '\x03',       // MessageRefKey of an erased message: statuses naming it are dropped
  kAmendedMessage = '\x04',   // AmendmentPrefix of an erased message: edits, reactions of it are dropped
};

// The erased_keys key of `key` of `kind`: kind byte | HMAC-SHA256(secret, key).
std::string ErasedKeyWithSecret(std::string_view secret, ErasedKind kind, std::string_view key);
// The same with the store's secret.
std::string ErasedKey(const Store& store, ErasedKind kind, std::string_view key);

// True when `key` of `kind` was erased.
base::Result<bool> IsErased(Store& store, ErasedKind kind, std::string_view key);

}  // namespace omnihub::unifier
