#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/erasure/customer_erasure.h"

#include "services/unifier/store/identity_timeline_scan.h"

#include <algorithm>
#include <memory>

#include "common/base/coding.h"
#include "common/event/identity.h"
#include "common/event/tenant_id.h"
#include "services/unifier/erasure/blob_refs.h"
#include "services/unifier/erasure/erased_keys.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/store/delivery_statuses.h"
#include "services/unifier/store/message_amendments.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

std::unique_ptr<rocksdb::Iterator> Scan(Store& store, rocksdb::ColumnFamilyHandle* cf) {
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;  // the timeline's prefix extractor must not cut a scan short
  return std::unique_ptr<rocksdb::Iterator>(store.db()->NewIterator(ro, cf));
}

void Lower(uint64_t* counter, uint64_t by) { *counter = *counter > by ? *counter - by : 0; }

}  // namespace

CustomerErasure::CustomerErasure(Store& store, const v1::CustomerRecord& customer, std::string erasure_id,
                                 rocksdb::WriteBatch& batch)
    : store_(store), customer_(customer), erasure_id_(std::move(erasure_id)), batch_(batch) {}

base::Result<ErasureOutcome> CustomerErasure::Run(StoreCounters& counters) {
  erased_customers_.push_back(customer_);
  customer_ids_.insert(customer_.customer_id());
  OMNIHUB_RETURN_IF_ERROR(CollectMergedCustomers());
  for (uint64_t id : customer_.identity_ids()) {
    outcome_.identity_ids.push_back(id);
    OMNIHUB_RETURN_IF_ERROR(EraseIdentity(id));
  }
  OMNIHUB_RETURN_IF_ERROR(EraseWatermarks());
  OMNIHUB_RETURN_IF_ERROR(EraseBlobs());
  OMNIHUB_RETURN_IF_ERROR(EraseSuggestions());
  OMNIHUB_RETURN_IF_ERROR(EraseMerges());
  OMNIHUB_RETURN_IF_ERROR(ScrubOtherCustomersHistory());
  for (const auto& record : erased_customers_) {
    batch_.Delete(store_.customers(), record.customer_id()).PermitUncheckedError();
  }
  Count("customers", erased_customers_.size());
  OMNIHUB_RETURN_IF_ERROR(TombstoneChanges());

  Lower(&counters.customers, outcome_.removed["customers"]);
  Lower(&counters.identities, outcome_.removed["identities"]);
  Lower(&counters.events, outcome_.removed["events"]);
  Lower(&counters.statuses, outcome_.removed["statuses"]);
  Lower(&counters.amendments, outcome_.removed["amendments"]);
  return std::move(outcome_);
}

base::Status CustomerErasure::CollectMergedCustomers() {
  // A merged customer's record stays (its id redirects) and names where it went; those whose
  // merged_into chain ends at the erased customer go with it. One pass over the customers,
  // then the chains are followed in memory.
  std::map<std::string, v1::CustomerRecord> merged;  // by id, merged_into set
  auto it = Scan(store_, store_.customers());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::CustomerRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &record).WithContext("customer record"));
    if (!record.merged_into().empty()) merged.emplace(record.customer_id(), std::move(record));
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan customers"));
  for (const auto& [id, record] : merged) {
    std::string at = record.merged_into();
    for (size_t hops = 0; hops <= merged.size(); ++hops) {  // bounded: a cycle would be corruption
      if (at == customer_.customer_id()) {
        erased_customers_.push_back(record);
        customer_ids_.insert(id);
        outcome_.merged_customer_ids.push_back(id);
        break;
      }
      auto next = merged.find(at);
      if (next == merged.end()) break;
      at = next->second.merged_into();
    }
  }
  return base::Status::Ok();  // merged_customer_ids is sorted: `merged` is a std::map
}

base::Status CustomerErasure::EraseIdentity(uint64_t identity_id) {
  auto record = store_.GetIdentityById(identity_id);
  if (!record.ok()) return record.status();
  // Mentions and changes name identities by their bare key; the store keys them in the
  // customer's tenant (tenant_identity_keys.h).
  identity_keys_.insert(event::IdentityKey(record->identity()));
  const std::string key = TenantIdentityKey(customer_.tenant_id(), record->identity());
  OMNIHUB_RETURN_IF_ERROR(EraseTimeline(identity_id));
  batch_.Delete(store_.identities(), key).PermitUncheckedError();
  batch_.Delete(store_.identity_ids(), base::EncodeFixed64BE(identity_id)).PermitUncheckedError();
  if (!HandleIndexName(record->current_handle()).empty()) {
    batch_.Delete(store_.identities(), HandleIndexKey(record->identity().platform(), record->current_handle(), key))
        .PermitUncheckedError();
    Count("handles");
  }
  batch_.Put(store_.erased_keys(), ErasedKey(store_, ErasedKind::kIdentity, key), EncodeRawValue(erasure_id_))
      .PermitUncheckedError();
  Count("identities");
  return base::Status::Ok();
}

base::Status CustomerErasure::EraseTimeline(uint64_t identity_id) {
  IdentityTimelineScan scan(store_, identity_id, nullptr);
  for (rocksdb::Iterator& it = scan.it(); it.Valid(); it.Next()) {
    v1::TimelineRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it.value().ToStringView(), &record).WithContext("timeline record"));
    OMNIHUB_RETURN_IF_ERROR(EraseEvent(it.key().ToString(), record.event()));
  }
  return FromRocks(scan.it().status(), "scan timeline");
}

base::Status CustomerErasure::EraseEvent(const std::string& timeline_key, const v1::Event& event) {
  event_ids_.insert(event.event_id());
  NoteBlobs(event);
  batch_.Delete(store_.timeline(), timeline_key).PermitUncheckedError();
  batch_.Delete(store_.events(), event.event_id()).PermitUncheckedError();
  Count("events");
  if (!event.conversation().empty()) {
    batch_.Delete(store_.conversations(), ConversationKey(event.conversation(), event.occurred_at_us(), event.event_id()))
        .PermitUncheckedError();
    conversations_.emplace(event.channel(), event.account(), event.conversation());
  }
  if (event.provider_message_id().empty()) return base::Status::Ok();

  const std::string dedup_key = DedupKey(event.channel(), event.account(), event.provider_message_id());
  batch_.Delete(store_.dedup(), dedup_key).PermitUncheckedError();
  batch_.Put(store_.erased_keys(), ErasedKey(store_, ErasedKind::kDedup, dedup_key), EncodeRawValue(erasure_id_))
      .PermitUncheckedError();

  if (CanHaveStatuses(event)) {
    // The ref key has no account: it is this message's only if it still points here.
    const std::string ref_key = MessageRefKey(event.channel(), event.provider_message_id());
    auto ref = store_.GetRaw(store_.message_refs(), ref_key);
    if (!ref.ok()) return ref.status();
    if (ref->has_value()) {
      auto points_at = DecodeRawValue(**ref, "message_refs value");
      if (!points_at.ok()) return points_at.status();
      if (*points_at == timeline_key) {
        batch_.Delete(store_.message_refs(), ref_key).PermitUncheckedError();
        auto statuses = ErasePrefixOfEvents(store_.statuses(), ref_key);
        if (!statuses.ok()) return statuses.status();
        Count("statuses", *statuses);
        batch_.Put(store_.erased_keys(), ErasedKey(store_, ErasedKind::kMessageRef, ref_key),
                   EncodeRawValue(erasure_id_))
            .PermitUncheckedError();
      }
    }
  }
  if (CanBeAmended(event)) {
    const std::string prefix = AmendmentPrefixOf(event);
    auto amendments = ErasePrefixOfEvents(store_.amendments(), prefix);
    if (!amendments.ok()) return amendments.status();
    Count("amendments", *amendments);
    batch_.Put(store_.erased_keys(), ErasedKey(store_, ErasedKind::kAmendedMessage, prefix), EncodeRawValue(erasure_id_))
        .PermitUncheckedError();
  }
  return base::Status::Ok();
}

base::Result<uint64_t> CustomerErasure::ErasePrefixOfEvents(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix) {
  uint64_t n = 0;
  auto it = Scan(store_, cf);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Event event;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &event).WithContext("stored event"));
    event_ids_.insert(event.event_id());
    NoteBlobs(event);
    batch_.Delete(cf, it->key()).PermitUncheckedError();
    ++n;
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan by prefix"));
  return n;
}

base::Status CustomerErasure::EraseWatermarks() {
  // Read receipts of the customer's conversations ("read up to T"): the customer's own acts.
  for (const auto& [channel, account, conversation] : conversations_) {
    auto n = ErasePrefixOfEvents(store_.amendments(), WatermarkPrefix(channel, account, conversation));
    if (!n.ok()) return n.status();
    Count("amendments", *n);
  }
  return base::Status::Ok();
}

void CustomerErasure::NoteBlobs(const v1::Event& event) {
  for (auto& sha256 : BlobsReferencedBy(event)) blob_referrers_[sha256].insert(event.event_id());
}

base::Status CustomerErasure::EraseBlobs() {
  for (const auto& [sha256, referrers] : blob_referrers_) {
    auto it = Scan(store_, store_.blob_refs());
    bool others = false;
    bool had_ref = false;
    for (it->Seek(sha256); it->Valid() && it->key().starts_with(sha256); it->Next()) {
      const std::string event_id = it->key().ToString().substr(kSha256Bytes);
      if (referrers.count(event_id) > 0) {
        had_ref = true;
        batch_.Delete(store_.blob_refs(), it->key()).PermitUncheckedError();
      } else {
        others = true;
      }
    }
    OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan blob_refs"));
    if (others) {
      Count("blobs_shared_kept");
    } else if (!had_ref) {
      // Written by a build that kept no refs: who else names it is unknown (docs/erasure.md).
      Count("blobs_without_refs_kept");
    } else {
      auto stored = store_.GetRaw(store_.blobs(), sha256);
      if (!stored.ok()) return stored.status();
      if (stored->has_value()) {
        batch_.Delete(store_.blobs(), sha256).PermitUncheckedError();
        Count("blobs");
      }
    }
  }
  return base::Status::Ok();
}

base::Status CustomerErasure::EraseSuggestions() {
  auto it = Scan(store_, store_.suggestions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::SuggestionRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &record).WithContext("suggestion record"));
    if (identity_keys_.count(event::IdentityKey(record.mentioned())) == 0 &&
        identity_keys_.count(event::IdentityKey(record.author())) == 0) {
      continue;
    }
    suggestion_ids_.insert(record.suggestion_id());
    batch_.Delete(store_.suggestions(), it->key()).PermitUncheckedError();
    Count("suggestions");
  }
  return FromRocks(it->status(), "scan suggestions");
}

base::Status CustomerErasure::EraseMerges() {
  // A merge record keeps the other side as it was (identities included): one that names an
  // erased customer on either side goes.
  auto it = Scan(store_, store_.merges());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::MergeRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &record).WithContext("merge record"));
    if (customer_ids_.count(record.survivor_id()) == 0 && customer_ids_.count(record.other_id()) == 0) continue;
    batch_.Delete(store_.merges(), it->key()).PermitUncheckedError();
    Count("merges");
  }
  return FromRocks(it->status(), "scan merges");
}

base::Status CustomerErasure::ScrubOtherCustomersHistory() {
  // Customers the erased ones dealt with (an identity linked away, a split) may name one of
  // the erased identities in their history: that identity is cleared, the step stays.
  std::set<std::string> others;
  for (const auto& record : erased_customers_) {
    for (const auto& step : record.history()) {
      if (!step.other_customer_id().empty() && customer_ids_.count(step.other_customer_id()) == 0) {
        others.insert(step.other_customer_id());
      }
    }
  }
  for (const auto& id : others) {
    auto other = store_.GetCustomer(id);
    if (!other.ok()) return other.status();
    if (!other->has_value()) continue;
    bool changed = false;
    for (auto& step : *(*other)->mutable_history()) {
      if (step.has_identity() && identity_keys_.count(event::IdentityKey(step.identity())) > 0) {
        step.clear_identity();
        changed = true;
      }
    }
    if (changed) batch_.Put(store_.customers(), id, EncodeValue(**other)).PermitUncheckedError();
  }
  return base::Status::Ok();
}

bool CustomerErasure::NamesErased(const v1::ChangeNotification& change) const {
  // An address is a person only within a tenant: the same one in another tenant of the
  // partition is another customer, whose changes stay.
  return customer_ids_.count(change.customer_id()) > 0 || customer_ids_.count(change.merged_customer_id()) > 0 ||
         (change.has_identity() && identity_keys_.count(event::IdentityKey(change.identity())) > 0 &&
          event::TenantOrDefault(change.tenant_id()) == event::TenantOrDefault(customer_.tenant_id())) ||
         event_ids_.count(change.event_id()) > 0 || event_ids_.count(change.message_event_id()) > 0 ||
         (!change.suggestion_id().empty() && suggestion_ids_.count(change.suggestion_id()) > 0);
}

base::Status CustomerErasure::TombstoneChanges() {
  // Followers resume by sequence: an entry keeps its number and kind and loses the rest, but
  // for its tenant, so that a tenant's live stream still passes over other tenants' entries.
  auto it = Scan(store_, store_.change_log());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::ChangeLogRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &record).WithContext("change log record"));
    if (record.tombstone() || !NamesErased(record.change())) continue;
    v1::ChangeLogRecord tombstone;
    tombstone.set_tombstone(true);
    tombstone.mutable_change()->set_change_seq(record.change().change_seq());
    tombstone.mutable_change()->set_kind(record.change().kind());
    tombstone.mutable_change()->set_committed_at_us(record.change().committed_at_us());
    tombstone.mutable_change()->set_tenant_id(record.change().tenant_id());
    batch_.Put(store_.change_log(), it->key(), EncodeValue(tombstone)).PermitUncheckedError();
    ++outcome_.tombstoned_changes;
  }
  return FromRocks(it->status(), "scan change log");
}

}  // namespace omnihub::unifier
