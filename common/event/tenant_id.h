// Tenant ids: which firm an event, a command or a stored record belongs to (docs/cluster.md,
// "3. Tenants and the stored keys' tenant prefix"). One rule serves every place that takes a
// tenant id (the config's `tenant` keys, omnihubctl --tenant, the API's `tenant` field, the
// cluster's shard map keys): 1..128 characters of A-Z a-z 0-9 - _ =, so that an id is a
// valid NATS key-value key and never needs escaping inside a stored key.
//
// The single-host hub has one tenant, "default". Its canonical form on the wire is the empty
// string (proto3's default), so that events and commands of the default tenant stay byte for
// byte what they were before tenants existed.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::event {

inline constexpr std::string_view kDefaultTenant = "default";
inline constexpr size_t kMaxTenantIdBytes = 128;
// What a valid id looks like, for error messages.
inline constexpr std::string_view kTenantIdRule = "1..128 characters of A-Z a-z 0-9 - _ =";

bool IsValidTenantId(std::string_view tenant_id);

// OK for a valid id; InvalidArgument "tenant id 'X' is not valid: use 1..128 characters ..."
// otherwise.
base::Status CheckTenantId(std::string_view tenant_id);

// The tenant a message names: "default" for an empty field.
inline std::string_view TenantOrDefault(std::string_view tenant_id) {
  return tenant_id.empty() ? kDefaultTenant : tenant_id;
}

// The form a message carries: "" for the default tenant, the id otherwise.
inline std::string WireTenant(std::string_view tenant_id) {
  return tenant_id == kDefaultTenant ? std::string() : std::string(tenant_id);
}

}  // namespace omnihub::event
