#include "services/unifier/identity/handle_index.h"

#include "services/unifier/identity/tenant_identity_keys.h"

#include <memory>

#include "common/base/coding.h"
#include "common/base/text.h"

namespace omnihub::unifier {
namespace {

// The first key byte of an index entry: Identity.Kind 0 (KIND_UNSPECIFIED) starts no IdentityKey.
constexpr char kHandleIndexTag = '\0';

}  // namespace

std::string HandleIndexName(std::string_view handle) {
  if (handle.starts_with('@')) handle.remove_prefix(1);
  return base::LowerAscii(handle);
}

std::string HandleIndexPrefix(std::string_view platform, std::string_view handle, std::string_view tenant) {
  std::string key = TenantKeyPrefix(tenant);
  key.push_back(kHandleIndexTag);
  base::PutLengthPrefixed(&key, platform);
  base::PutLengthPrefixed(&key, HandleIndexName(handle));
  return key;
}

std::string HandleIndexKey(std::string_view platform, std::string_view handle, std::string_view identity_key) {
  std::string key = HandleIndexPrefix(platform, handle, TenantOfStoredKey(identity_key));
  key.append(identity_key);
  return key;
}

base::Result<std::vector<std::string>> FindIdentityKeysByHandle(Store& store, std::string_view platform,
                                                                std::string_view handle,
                                                                const rocksdb::Snapshot* snapshot,
                                                                std::string_view tenant) {
  const std::string prefix = HandleIndexPrefix(platform, handle, tenant);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, store.identities()));
  std::vector<std::string> keys;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    keys.push_back(it->key().ToString().substr(prefix.size()));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read the handle index");
  return keys;
}

}  // namespace omnihub::unifier
