// Where a tenant's identities live in the `identities` column family (docs/storage-format.md,
// "Tenants"): the same normalized identity under two tenants is two identities, of two
// customers. The default tenant's keys are the bare IdentityKey and handle index keys, as
// before tenants existed (so a store written then needs no rewrite); every other tenant's
// keys start with its prefix
//   0xFF, tenant id, 0x00
// 0xFF is no identity kind and not the handle index's 0x00, and a tenant id never holds 0x00,
// so the prefix is unambiguous and each tenant's keys form one contiguous range.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "omnihub/v1/identity.pb.h"

namespace omnihub::unifier {

inline constexpr char kTenantKeyMarker = '\xff';

// "" for the default tenant (as "default" or ""), else 0xFF | tenant | 0x00.
std::string TenantKeyPrefix(std::string_view tenant);

// The `identities` key of `identity` in `tenant`.
std::string TenantIdentityKey(std::string_view tenant, const v1::Identity& identity);

// The tenant a stored `identities` key belongs to ("default" for a key without a prefix).
std::string_view TenantOfStoredKey(std::string_view stored_key);

}  // namespace omnihub::unifier
