#include "services/unifier/identity/identity_resolver.h"

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

IdentityResolver::IdentityResolver(IdentityReader& reader, base::Clock& clock, base::UuidV7Generator& ids)
    : reader_(reader), clock_(clock), ids_(ids) {}

base::Result<Assignment> IdentityResolver::Assign(const v1::Event& event, IdentityStaging& staged,
                                                  StoreCounters& counters) {
  const v1::Identity* party = event::ExternalParty(event);
  if (party == nullptr) {
    return base::Status::InvalidArgument("event has no external party (an inbound sender or outbound recipient)");
  }
  Assignment out;
  auto identity = FindOrCreate(*party, event, staged, counters, &out);
  if (!identity.ok()) return identity.status();
  auto customer = StagedCustomer((*identity)->customer_id(), staged);
  if (!customer.ok()) return customer.status();
  (*customer)->set_event_count((*customer)->event_count() + 1);
  out.identity = *identity;
  return out;
}

base::Result<v1::IdentityRecord> IdentityResolver::IdentityById(uint64_t identity_id) {
  return reader_.GetIdentityById(identity_id);
}

base::Result<v1::IdentityRecord*> IdentityResolver::FindOrCreate(const v1::Identity& identity, const v1::Event& event,
                                                                 IdentityStaging& staged, StoreCounters& counters,
                                                                 Assignment* out) {
  const std::string key = event::IdentityKey(identity);
  if (auto it = staged.identities.find(key); it != staged.identities.end()) return &it->second;
  auto stored = reader_.GetIdentity(key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    auto [it, inserted] = staged.identities.emplace(key, std::move(**stored));
    return &it->second;
  }

  // First sight: a new identity and a new customer, linked by this event.
  v1::IdentityRecord rec;
  rec.set_identity_id(++counters.last_identity_id);
  *rec.mutable_identity() = identity;
  rec.set_customer_id(base::UuidToString(ids_.Next()));
  rec.mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
  rec.mutable_reason()->set_event_id(event.event_id());
  rec.mutable_reason()->set_linked_at_us(clock_.NowMicros());
  ++counters.identities;

  v1::CustomerRecord customer;
  customer.set_customer_id(rec.customer_id());
  customer.add_identity_ids(rec.identity_id());
  *customer.add_identities() = identity;
  customer.set_created_at_us(clock_.NowMicros());
  ++counters.customers;

  out->first_sight = true;
  out->writes.push_back({IdentityColumn::kIdentityIds, base::EncodeFixed64BE(rec.identity_id()), EncodeRawValue(key)});
  staged.customers.emplace(customer.customer_id(), std::move(customer));
  auto [it, inserted] = staged.identities.emplace(key, std::move(rec));
  out->writes.push_back({IdentityColumn::kIdentities, key, EncodeValue(it->second)});
  return &it->second;
}

base::Result<v1::CustomerRecord*> IdentityResolver::StagedCustomer(const std::string& customer_id,
                                                                   IdentityStaging& staged) {
  if (auto it = staged.customers.find(customer_id); it != staged.customers.end()) return &it->second;
  auto stored = reader_.GetCustomer(customer_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return base::Status::Corruption("identity points at customer " + customer_id + " which does not exist");
  }
  auto [it, inserted] = staged.customers.emplace(customer_id, std::move(**stored));
  return &it->second;
}

std::vector<IdentityWrite> CustomerWrites(const IdentityStaging& staged) {
  std::vector<IdentityWrite> writes;
  writes.reserve(staged.customers.size());
  for (const auto& [id, customer] : staged.customers) {
    writes.push_back({IdentityColumn::kCustomers, id, EncodeValue(customer)});
  }
  return writes;
}

}  // namespace omnihub::unifier
