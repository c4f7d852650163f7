// The handle index: which PLATFORM identities go by a handle, so that "x:@ana_k" can name a
// customer. A handle is not an identity (users rename, and a freed handle is taken by
// somebody else), so it never decides which customer an event belongs to; the index only
// answers lookups, and only while exactly one identity is listed under the handle.
//
// Entries live in the `identities` column family under keys that start with 0x00, a byte no
// IdentityKey starts with (it is KIND_UNSPECIFIED), so they never meet an identity record:
//   key   = 0x00, varint len + platform, varint len + name, IdentityKey of the identity
//   value = the version byte alone (EncodeRawValue(""))
// `name` is HandleIndexName(handle). The length prefixes make (platform, name) a prefix that
// no other pair's entries share. The resolver keeps one entry per identity, under the
// handle of the latest event that gave one (IdentityRecord.current_handle); the query
// service reads them (docs/identities.md#handles). A tenant's entries (other than the default
// tenant's) start with the tenant's key prefix, like its identities
// (tenant_identity_keys.h), so a handle is looked up within one tenant.
//
// Thread-safety: pure functions; FindIdentityKeysByHandle reads through the thread-safe Store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// The handle as the index compares it: one leading '@' removed, ASCII letters lower-cased
// ("@Ana_K" -> "ana_k"); X and Telegram handles are case-insensitive.
std::string HandleIndexName(std::string_view handle);

// The first bytes of every entry of (platform, handle) in `tenant` ("" = the default tenant).
std::string HandleIndexPrefix(std::string_view platform, std::string_view handle, std::string_view tenant = {});

// The entry that lists the stored `identity_key` under (platform, handle), in the tenant
// the key belongs to.
std::string HandleIndexKey(std::string_view platform, std::string_view handle, std::string_view identity_key);

// The identity keys listed under (platform, handle) in `tenant` ("" = the default tenant) in
// `snapshot` (the latest state when null), in key order; empty when none.
base::Result<std::vector<std::string>> FindIdentityKeysByHandle(Store& store, std::string_view platform,
                                                                std::string_view handle,
                                                                const rocksdb::Snapshot* snapshot = nullptr,
                                                                std::string_view tenant = {});

}  // namespace omnihub::unifier
