#include "services/unifier/graph/graph_records.h"

#include "common/base/sha256.h"
#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "services/unifier/identity/tenant_identity_keys.h"

namespace omnihub::unifier {

std::string DerivedUuid(std::string_view material) {
  std::string bytes = base::Sha256(material).substr(0, base::kUuidBytes);
  bytes[6] = static_cast<char>((static_cast<uint8_t>(bytes[6]) & 0x0f) | 0x80);  // version 8
  bytes[8] = static_cast<char>((static_cast<uint8_t>(bytes[8]) & 0x3f) | 0x80);  // variant 10
  return base::UuidToString(bytes);
}

void AddIdentity(v1::CustomerRecord& customer, const v1::IdentityRecord& identity) {
  customer.add_identity_ids(identity.identity_id());
  *customer.add_identities() = identity.identity();
}

bool RemoveIdentity(v1::CustomerRecord& customer, uint64_t identity_id) {
  for (int i = 0; i < customer.identity_ids_size(); ++i) {
    if (customer.identity_ids(i) != identity_id) continue;
    customer.mutable_identity_ids()->erase(customer.mutable_identity_ids()->begin() + i);
    if (i < customer.identities_size()) customer.mutable_identities()->erase(customer.mutable_identities()->begin() + i);
    return true;
  }
  return false;
}

void ReplaceReason(v1::IdentityRecord& identity, v1::LinkReason reason) {
  if (identity.has_reason()) *identity.add_history() = std::move(*identity.mutable_reason());
  *identity.mutable_reason() = std::move(reason);
}

base::Result<v1::MergeRecord> MergeCustomerRecords(v1::CustomerRecord& survivor, v1::CustomerRecord& other,
                                                   const MergeSpec& spec, const FindIdentityFn& find,
                                                   const MarkChangedFn& changed) {
  if (other.identity_ids_size() != other.identities_size()) {
    return base::Status::Corruption("customer " + other.customer_id() + " lists " +
                                    std::to_string(other.identity_ids_size()) + " identity ids but " +
                                    std::to_string(other.identities_size()) + " identities");
  }
  v1::MergeRecord merge;
  merge.set_merge_id(spec.merge_id);
  merge.set_survivor_id(survivor.customer_id());
  merge.set_other_id(other.customer_id());
  *merge.mutable_moved_identity_ids() = other.identity_ids();
  *merge.mutable_survivor_identity_ids() = survivor.identity_ids();
  merge.set_actor(spec.entry.actor());
  merge.set_reason(spec.entry.reason());
  merge.set_merged_at_us(spec.merged_at_us);
  merge.set_command_id(spec.entry.command_id());
  merge.set_event_id(spec.entry.event_id());
  *merge.mutable_other_before() = other;

  v1::LinkReason reason = spec.reason;
  reason.set_merge_id(spec.merge_id);
  reason.set_merged_from(other.customer_id());
  for (const v1::Identity& listed : other.identities()) {
    const std::string key = TenantIdentityKey(other.tenant_id(), listed);
    auto moved = find(key);
    if (!moved.ok()) return moved.status();
    if (*moved == nullptr || (*moved)->customer_id() != other.customer_id()) {
      return base::Status::Corruption("customer " + other.customer_id() + " lists identity " +
                                      event::IdentityToArgument(listed) + " which is not its own");
    }
    (*moved)->set_customer_id(survivor.customer_id());
    ReplaceReason(**moved, reason);
    changed(key);
  }
  survivor.mutable_identity_ids()->MergeFrom(other.identity_ids());
  survivor.mutable_identities()->MergeFrom(other.identities());
  survivor.set_event_count(survivor.event_count() + other.event_count());
  other.clear_identity_ids();
  other.clear_identities();
  other.set_event_count(0);
  other.set_merged_into(survivor.customer_id());
  other.set_merged_at_us(spec.merged_at_us);
  other.set_merge_id(spec.merge_id);

  v1::GraphHistoryEntry in = spec.entry;
  in.set_kind(v1::GraphHistoryEntry::MERGED_IN);
  in.set_merge_id(spec.merge_id);
  in.set_other_customer_id(other.customer_id());
  *survivor.add_history() = std::move(in);
  v1::GraphHistoryEntry away = spec.entry;
  away.set_kind(v1::GraphHistoryEntry::MERGED_AWAY);
  away.set_merge_id(spec.merge_id);
  away.set_other_customer_id(survivor.customer_id());
  *other.add_history() = std::move(away);
  return merge;
}

}  // namespace omnihub::unifier
