#include "services/unifier/identity/customer_ids.h"

#include "common/base/uuid.h"
#include "common/event/tenant_id.h"

namespace omnihub::unifier {

namespace {

// omnihub's namespace for customer ids (a random UUIDv4, fixed for good: changing it would
// change every derived id).
constexpr unsigned char kCustomerNamespace[16] = {0x9f, 0x5f, 0x08, 0x2a, 0x26, 0xdf, 0x4a, 0x3b,
                                                  0xa0, 0x67, 0xb2, 0xfe, 0xef, 0x69, 0xa1, 0x9a};

}  // namespace

std::string_view TenantOfDerivedIds(const v1::Event& event) { return event::TenantOrDefault(event.tenant_id()); }
std::string_view TenantOfDerivedIds(const v1::Command& command) { return event::TenantOrDefault(command.tenant_id()); }
std::string_view TenantOfDerivedIds() { return event::kDefaultTenant; }

std::string DerivedCustomerId(std::string_view tenant, std::string_view identity_key, std::string_view first_event_id) {
  std::string name;
  name.reserve(tenant.size() + 1 + identity_key.size() + (first_event_id.empty() ? 0 : 1 + first_event_id.size()));
  name.append(tenant);
  name.push_back('\0');
  name.append(identity_key);
  if (!first_event_id.empty()) {
    name.push_back('\0');
    name.append(first_event_id);
  }
  return base::UuidToString(
      base::UuidV5(std::string_view(reinterpret_cast<const char*>(kCustomerNamespace), sizeof(kCustomerNamespace)), name));
}

}  // namespace omnihub::unifier
