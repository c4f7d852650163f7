#include "services/unifier/query/customer_lookup.h"

#include "common/base/text.h"
#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "common/event/tenant_id.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/query/query_service.h"

namespace omnihub::unifier {
namespace {

// A merge chain longer than this is a loop: every merge absorbs a customer for good.
constexpr int kMaxMergeHops = 64;

v1::IdentityLinkReason ToApiReason(const v1::LinkReason& stored) {
  v1::IdentityLinkReason reason;
  reason.set_rule(stored.rule());
  reason.set_event_id(stored.event_id());
  reason.set_linked_at_us(stored.linked_at_us());
  reason.set_detail(stored.detail());
  reason.set_agent(stored.agent());
  reason.set_merged_from(stored.merged_from());
  return reason;
}

// FindCustomer within `tenant` for identities (any tenant's customer by id).
base::Result<v1::CustomerRecord> FindInTenant(Store& store, const event::IdentityNormalizer& normalizer,
                                              const v1::CustomerSelector& selector, const rocksdb::Snapshot* snap,
                                              std::string_view tenant);

}  // namespace

base::Result<std::string> CustomerIdByHandle(Store& store, const v1::Identity& reference,
                                             const rocksdb::Snapshot* snapshot, std::string_view tenant) {
  const std::string platform = base::LowerAscii(base::Trim(reference.platform()));
  const std::string handle = "@" + HandleIndexName(base::Trim(reference.handle()));
  if (platform.empty() || handle == "@") {
    return base::Status::InvalidArgument("a handle reference needs a platform and a handle (e.g. x:@ana_k)");
  }
  auto keys = FindIdentityKeysByHandle(store, platform, handle, snapshot, tenant);
  if (!keys.ok()) return keys.status();
  std::vector<v1::IdentityRecord> holders;
  for (const std::string& key : *keys) {
    auto rec = store.GetIdentity(key, snapshot);
    if (!rec.ok()) return rec.status();
    // The resolver moves an entry when a handle changes; an entry whose record says
    // otherwise is not trusted to name anybody.
    if (rec->has_value() && HandleIndexName((*rec)->current_handle()) == HandleIndexName(handle)) {
      holders.push_back(std::move(**rec));
    }
  }
  if (holders.empty()) return base::Status::NotFound("no " + platform + " user has handle " + handle);
  if (holders.size() > 1) {
    std::string users;
    for (const auto& h : holders) users += (users.empty() ? "" : ", ") + event::IdentityToArgument(h.identity());
    return base::Status::InvalidArgument("handle " + handle + " is ambiguous: " + std::to_string(holders.size()) + " " +
                                         platform + " users were last seen with it (" + users +
                                         "); select one by its user id");
  }
  return holders.front().customer_id();
}

base::Result<v1::CustomerRecord> ReadLiveCustomer(Store& store, const std::string& customer_id,
                                                  const rocksdb::Snapshot* snapshot) {
  std::string id = customer_id;
  for (int hop = 0; hop <= kMaxMergeHops; ++hop) {
    auto customer = store.GetCustomer(id, snapshot);
    if (!customer.ok()) return customer.status();
    if (!customer->has_value()) {
      if (hop == 0) return base::Status::NotFound("no customer with id " + customer_id);
      return base::Status::Corruption("customer " + customer_id + " was merged into " + id + ", which does not exist");
    }
    if ((*customer)->merged_into().empty()) return std::move(**customer);
    id = (*customer)->merged_into();
  }
  return base::Status::Corruption("the merges of customer " + customer_id + " do not end (more than " +
                                  std::to_string(kMaxMergeHops) + ")");
}

base::Result<v1::Customer> CustomerForClient(Store& store, const v1::CustomerRecord& record,
                                             const rocksdb::Snapshot* snapshot) {
  v1::Customer customer = ToApiCustomer(record);
  for (const v1::Identity& identity : record.identities()) {
    auto rec = store.GetIdentity(TenantIdentityKey(record.tenant_id(), identity), snapshot);
    if (!rec.ok()) return rec.status();
    if (!rec->has_value()) {
      return base::Status::Corruption("customer " + record.customer_id() + " lists identity " +
                                      event::IdentityToArgument(identity) + ", which has no record");
    }
    *customer.add_link_reasons() = ToApiReason((*rec)->reason());
  }
  return customer;
}

base::Result<v1::CustomerRecord> FindCustomer(Store& store, const event::IdentityNormalizer& normalizer,
                                              const v1::CustomerSelector& selector, const rocksdb::Snapshot* snap,
                                              std::string_view tenant) {
  if (event::TenantOrDefault(tenant) == event::kDefaultTenant) {
    return FindInTenant(store, normalizer, selector, snap, {});
  }
  return FindTenantCustomer(store, normalizer, selector, snap, tenant);
}

base::Result<v1::CustomerRecord> FindTenantCustomer(Store& store, const event::IdentityNormalizer& normalizer,
                                                    const v1::CustomerSelector& selector,
                                                    const rocksdb::Snapshot* snapshot, std::string_view tenant) {
  auto found = FindInTenant(store, normalizer, selector, snapshot, tenant);
  const std::string_view name = event::TenantOrDefault(tenant);
  if (!found.ok()) {
    // The default tenant's messages stay as they were before tenants.
    if (found.status().code() != base::StatusCode::kNotFound || name == event::kDefaultTenant) return found.status();
    return base::Status::NotFound(found.status().message() + " in tenant '" + std::string(name) + "'");
  }
  if (found->tenant_id() != event::WireTenant(name)) {
    return base::Status::NotFound("no customer with id " + found->customer_id() + " in tenant '" + std::string(name) +
                                  "'");
  }
  return found;
}

namespace {

base::Result<v1::CustomerRecord> FindInTenant(Store& store, const event::IdentityNormalizer& normalizer,
                                              const v1::CustomerSelector& selector, const rocksdb::Snapshot* snap,
                                              std::string_view tenant) {
  std::string customer_id;
  switch (selector.by_case()) {
    case v1::CustomerSelector::kCustomerId: {
      // Ids are stored in canonical (lower-case) UUID text; accept any case.
      std::string bytes;
      if (!base::UuidFromString(selector.customer_id(), &bytes)) {
        return base::Status::InvalidArgument("'" + selector.customer_id() + "' is not a customer id (a UUID)");
      }
      customer_id = base::UuidToString(bytes);
      break;
    }
    case v1::CustomerSelector::kIdentity: {
      if (event::IsHandleReference(selector.identity())) {
        auto by_handle = CustomerIdByHandle(store, selector.identity(), snap, tenant);
        if (!by_handle.ok()) return by_handle.status();
        customer_id = std::move(*by_handle);
        break;
      }
      auto identity = normalizer.Normalize(selector.identity());
      if (!identity.ok()) return identity.status();
      auto rec = store.GetIdentity(TenantIdentityKey(tenant, *identity), snap);
      if (!rec.ok()) return rec.status();
      if (!rec->has_value()) {
        return base::Status::NotFound("no customer has identity " + event::IdentityToArgument(*identity));
      }
      customer_id = (*rec)->customer_id();
      break;
    }
    case v1::CustomerSelector::BY_NOT_SET:
      return base::Status::InvalidArgument("select a customer by customer_id or identity");
  }
  return ReadLiveCustomer(store, customer_id, snap);
}

}  // namespace

}  // namespace omnihub::unifier
