#include "services/unifier/identity/tenant_identity_keys.h"

#include "common/event/identity.h"
#include "common/event/tenant_id.h"

namespace omnihub::unifier {

std::string TenantKeyPrefix(std::string_view tenant) {
  if (tenant.empty() || tenant == event::kDefaultTenant) return {};
  std::string prefix;
  prefix.reserve(tenant.size() + 2);
  prefix.push_back(kTenantKeyMarker);
  prefix.append(tenant);
  prefix.push_back('\0');
  return prefix;
}

std::string TenantIdentityKey(std::string_view tenant, const v1::Identity& identity) {
  return TenantKeyPrefix(tenant) + event::IdentityKey(identity);
}

std::string_view TenantOfStoredKey(std::string_view stored_key) {
  if (stored_key.empty() || stored_key.front() != kTenantKeyMarker) return event::kDefaultTenant;
  const size_t end = stored_key.find('\0', 1);
  if (end == std::string_view::npos) return event::kDefaultTenant;
  return stored_key.substr(1, end - 1);
}

}  // namespace omnihub::unifier
