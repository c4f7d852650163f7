#include "common/event/tenant_id.h"

#include <algorithm>

namespace omnihub::event {
namespace {

bool IsTenantChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '=';
}

}  // namespace

bool IsValidTenantId(std::string_view tenant_id) {
  return !tenant_id.empty() && tenant_id.size() <= kMaxTenantIdBytes &&
         std::all_of(tenant_id.begin(), tenant_id.end(), IsTenantChar);
}

base::Status CheckTenantId(std::string_view tenant_id) {
  if (IsValidTenantId(tenant_id)) return base::Status::Ok();
  return base::Status::InvalidArgument("tenant id '" + std::string(tenant_id) + "' is not valid: use " +
                                       std::string(kTenantIdRule));
}

}  // namespace omnihub::event
