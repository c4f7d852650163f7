#include "services/unifier/identity/identity_resolver.h"

#include <algorithm>
#include <tuple>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "common/event/tenant_id.h"
#include "services/unifier/graph/graph_records.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/ingest/apply_time.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

namespace {

// The rule a party link of `event` makes. Telegram puts a party link only on a contact its
// sender shared of themselves (telegram_message.cc LinkOwnContact); every other platform's
// links say that one delivery carried both identities.
v1::LinkReason::Rule PartyLinkRule(const v1::Event& event) {
  return event.channel() == v1::TELEGRAM ? v1::LinkReason::OWN_CONTACT : v1::LinkReason::PLATFORM_LINK;
}

// The rule of a first sight: a phone number first seen as a WhatsApp sender is known to be
// the sender's number (WhatsApp addresses people by phone), so it says so.
v1::LinkReason::Rule FirstSightRule(const v1::Event& event, const v1::Identity& party) {
  return event.channel() == v1::WHATSAPP && party.kind() == v1::Identity::PHONE ? v1::LinkReason::SENDER_IS_PHONE
                                                                                : v1::LinkReason::FIRST_SIGHT;
}

// The lowest identity id of a live customer (the identity created first); 0 when it has none.
uint64_t OldestIdentityId(const v1::CustomerRecord& customer) {
  if (customer.identity_ids().empty()) return 0;
  return *std::min_element(customer.identity_ids().begin(), customer.identity_ids().end());
}

}  // namespace

struct IdentityResolver::Pass {
  const v1::Event& event;
  IdentityStaging& staged;
  StoreCounters& counters;
  Assignment& out;
  // Identities records created or changed by this event, by key, in the order of their first
  // change: written once each, in their final state, when the event is resolved.
  std::vector<std::string> changed;

  void MarkChanged(const std::string& key) {
    if (std::find(changed.begin(), changed.end(), key) == changed.end()) changed.push_back(key);
  }

  // A change made by this event's links, for the caller to announce.
  v1::ChangeNotification& Announce(v1::ChangeKind kind, const std::string& customer_id, const v1::Identity& identity) {
    v1::ChangeNotification& change = out.changes.emplace_back();
    change.set_kind(kind);
    change.set_customer_id(customer_id);
    *change.mutable_identity() = identity;
    change.set_event_id(event.event_id());
    return change;
  }
};

IdentityResolver::IdentityResolver(IdentityReader& reader) : reader_(reader) {}

base::Result<Assignment> IdentityResolver::Assign(const v1::Event& event, IdentityStaging& staged,
                                                  StoreCounters& counters) {
  const v1::Identity* party = event::ExternalParty(event);
  if (party == nullptr) {
    return base::Status::InvalidArgument("event has no external party (an inbound sender or outbound recipient)");
  }
  Assignment out;
  Pass p{event, staged, counters, out, {}};
  // Identities are looked up within the event's tenant (tenant_identity_keys.h).
  const std::string key = TenantIdentityKey(TenantOfDerivedIds(event), *party);
  auto found = Find(key, staged);
  if (!found.ok()) return found.status();
  v1::IdentityRecord* identity = *found;
  if (identity == nullptr) {
    auto created = CreateParty(*party, key, p);
    if (!created.ok()) return created.status();
    identity = *created;
  } else {
    NoteHandle(*party, key, *identity, p);
  }
  OMNIHUB_RETURN_IF_ERROR(LinkPartyIdentities(key, *identity, p));

  auto customer = StagedCustomer(identity->customer_id(), staged);
  if (!customer.ok()) return customer.status();
  (*customer)->set_event_count((*customer)->event_count() + 1);
  for (const std::string& changed : p.changed) {
    out.writes.push_back({IdentityColumn::kIdentities, changed, EncodeValue(staged.identities.at(changed))});
  }
  out.identity = identity;
  return out;
}

base::Result<v1::IdentityRecord> IdentityResolver::IdentityById(uint64_t identity_id) {
  return reader_.GetIdentityById(identity_id);
}

base::Result<v1::IdentityRecord*> IdentityResolver::Find(const std::string& key, IdentityStaging& staged) {
  if (auto it = staged.identities.find(key); it != staged.identities.end()) return &it->second;
  auto stored = reader_.GetIdentity(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return nullptr;
  auto [it, inserted] = staged.identities.emplace(key, std::move(**stored));
  return &it->second;
}

base::Result<v1::IdentityRecord*> IdentityResolver::CreateParty(const v1::Identity& party, const std::string& key,
                                                                Pass& p) {
  // A new party that the platform says is somebody we know joins that customer.
  for (const v1::IdentityLink& link : p.event.party_links()) {
    const std::string link_key = TenantIdentityKey(TenantOfDerivedIds(p.event), link.identity());
    if (link_key == key) continue;
    auto linked = Find(link_key, p.staged);
    if (!linked.ok()) return linked.status();
    if (*linked == nullptr) continue;
    auto customer = StagedCustomer((*linked)->customer_id(), p.staged);
    if (!customer.ok()) return customer.status();
    p.Announce(v1::IDENTITY_LINKED, (*customer)->customer_id(), party);
    return CreateIdentity(party, key, **customer, Reason(PartyLinkRule(p.event), p.event, link.reason()), p);
  }

  // First sight: a new identity and a new customer, linked by this event. An identity an
  // erasure removed comes back as a customer apart from the erased one (customer_ids.h).
  auto erased = reader_.WasErased(key);
  if (!erased.ok()) return erased.status();
  v1::CustomerRecord customer;
  // Derived from the bare identity key: the tenant is part of the derivation already, and the
  // default tenant's ids stay those of a store from before tenants.
  const std::string_view tenant = TenantOfDerivedIds(p.event);
  customer.set_customer_id(DerivedCustomerId(tenant, event::IdentityKey(party),
                                             *erased ? std::string_view(p.event.event_id()) : std::string_view()));
  customer.set_tenant_id(event::WireTenant(tenant));
  customer.set_created_at_us(EventTimeUs(p.event));
  ++p.counters.customers;
  auto [it, inserted] = p.staged.customers.emplace(customer.customer_id(), std::move(customer));
  p.out.first_sight = true;
  return CreateIdentity(party, key, it->second, Reason(FirstSightRule(p.event, party), p.event, ""), p);
}

v1::IdentityRecord* IdentityResolver::CreateIdentity(const v1::Identity& identity, const std::string& key,
                                                     v1::CustomerRecord& customer, v1::LinkReason reason, Pass& p) {
  v1::IdentityRecord rec;
  rec.set_identity_id(++p.counters.last_identity_id);
  *rec.mutable_identity() = identity;
  rec.set_customer_id(customer.customer_id());
  *rec.mutable_reason() = std::move(reason);
  ++p.counters.identities;
  customer.add_identity_ids(rec.identity_id());
  *customer.add_identities() = identity;

  p.out.writes.push_back({IdentityColumn::kIdentityIds, base::EncodeFixed64BE(rec.identity_id()), EncodeRawValue(key)});
  auto [it, inserted] = p.staged.identities.emplace(key, std::move(rec));
  p.MarkChanged(key);
  NoteHandle(identity, key, it->second, p);
  return &it->second;
}

base::Status IdentityResolver::LinkPartyIdentities(const std::string& party_key, v1::IdentityRecord& party, Pass& p) {
  for (const v1::IdentityLink& link : p.event.party_links()) {
    const std::string key = TenantIdentityKey(TenantOfDerivedIds(p.event), link.identity());
    if (key == party_key) continue;  // the platform named the party itself
    auto found = Find(key, p.staged);
    if (!found.ok()) return found.status();
    v1::IdentityRecord* linked = *found;
    if (linked == nullptr) {
      auto customer = StagedCustomer(party.customer_id(), p.staged);
      if (!customer.ok()) return customer.status();
      CreateIdentity(link.identity(), key, **customer, Reason(PartyLinkRule(p.event), p.event, link.reason()), p);
      p.Announce(v1::IDENTITY_LINKED, party.customer_id(), link.identity());
      continue;
    }
    NoteHandle(link.identity(), key, *linked, p);
    if (linked->customer_id() == party.customer_id()) continue;  // already one customer
    OMNIHUB_RETURN_IF_ERROR(MergeCustomers(party.customer_id(), linked->customer_id(), link, p));
  }
  return base::Status::Ok();
}

base::Status IdentityResolver::MergeCustomers(const std::string& a, const std::string& b, const v1::IdentityLink& link,
                                              Pass& p) {
  auto first = StagedCustomer(a, p.staged);
  if (!first.ok()) return first.status();
  auto second = StagedCustomer(b, p.staged);
  if (!second.ok()) return second.status();
  // The older customer keeps its id: it is the one agents and integrators have known longest.
  // Creation times tie when both came in one delivery of the adapter: then the one whose first
  // identity was created first is older (identity ids count up in log order).
  const bool first_is_older = std::make_tuple((*first)->created_at_us(), OldestIdentityId(**first), (*first)->customer_id()) <
                              std::make_tuple((*second)->created_at_us(), OldestIdentityId(**second), (*second)->customer_id());
  v1::CustomerRecord& kept = first_is_older ? **first : **second;
  v1::CustomerRecord& gone = first_is_older ? **second : **first;

  // The same merge code as an agent's merge (graph_records.h), so that this one too leaves a
  // MergeRecord and can be split. Its id derives from the event and the absorbed customer (one
  // event can join several customers).
  MergeSpec spec;
  spec.merge_id = DerivedUuid("platform-merge:" + p.event.event_id() + gone.customer_id());
  spec.reason = Reason(v1::LinkReason::MERGE, p.event, link.reason());
  spec.entry.set_reason(link.reason());
  spec.entry.set_at_us(spec.reason.linked_at_us());
  spec.entry.set_event_id(p.event.event_id());
  *spec.entry.mutable_identity() = link.identity();
  spec.merged_at_us = spec.reason.linked_at_us();
  auto merge = MergeCustomerRecords(
      kept, gone, spec, [&](const std::string& key) { return Find(key, p.staged); },
      [&](const std::string& key) { p.MarkChanged(key); });
  if (!merge.ok()) return merge.status();
  p.out.writes.push_back({IdentityColumn::kMerges, spec.merge_id, EncodeValue(*merge)});

  v1::ChangeNotification& change = p.Announce(v1::CUSTOMERS_MERGED, kept.customer_id(), link.identity());
  change.set_merged_customer_id(gone.customer_id());
  change.set_merge_id(spec.merge_id);
  return base::Status::Ok();
}

void IdentityResolver::NoteHandle(const v1::Identity& seen, const std::string& key, v1::IdentityRecord& record,
                                  Pass& p) {
  if (seen.kind() != v1::Identity::PLATFORM || seen.handle().empty() || seen.handle() == record.current_handle()) {
    return;
  }
  const std::string& platform = record.identity().platform();
  if (HandleIndexName(seen.handle()) != HandleIndexName(record.current_handle())) {
    if (!HandleIndexName(record.current_handle()).empty()) {
      p.out.writes.push_back(
          {IdentityColumn::kIdentities, HandleIndexKey(platform, record.current_handle(), key), "", true});
    }
    if (!HandleIndexName(seen.handle()).empty()) {
      p.out.writes.push_back({IdentityColumn::kIdentities, HandleIndexKey(platform, seen.handle(), key), EncodeRawValue("")});
    }
  }
  record.set_current_handle(seen.handle());
  p.MarkChanged(key);
}

v1::LinkReason IdentityResolver::Reason(v1::LinkReason::Rule rule, const v1::Event& event,
                                        const std::string& detail) const {
  v1::LinkReason reason;
  reason.set_rule(rule);
  reason.set_event_id(event.event_id());
  reason.set_linked_at_us(EventTimeUs(event));
  reason.set_detail(detail);
  return reason;
}

base::Result<v1::CustomerRecord*> IdentityResolver::StagedCustomer(const std::string& customer_id,
                                                                   IdentityStaging& staged) {
  auto it = staged.customers.find(customer_id);
  if (it == staged.customers.end()) {
    auto stored = reader_.GetCustomer(customer_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return base::Status::Corruption("identity points at customer " + customer_id + " which does not exist");
    }
    it = staged.customers.emplace(customer_id, std::move(**stored)).first;
  }
  // A merge moves every identity of the customer it absorbs, so none may point at one.
  if (!it->second.merged_into().empty()) {
    return base::Status::Corruption("identity points at customer " + customer_id + " which was merged into " +
                                    it->second.merged_into());
  }
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
