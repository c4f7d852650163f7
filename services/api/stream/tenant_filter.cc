#include "services/api/stream/tenant_filter.h"

#include <utility>

#include "common/event/tenant_id.h"

namespace omnihub::api::stream {

ChangeFilter TenantChangeFilter(std::string_view tenant, ChangeFilter inner) {
  return [wire = event::WireTenant(tenant), inner = std::move(inner)](const v1::ChangeNotification& change) {
    if (event::WireTenant(change.tenant_id()) != wire) return false;
    return !inner || inner(change);
  };
}

}  // namespace omnihub::api::stream
