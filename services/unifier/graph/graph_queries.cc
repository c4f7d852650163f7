#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/graph/graph_queries.h"

#include "services/unifier/store/identity_timeline_scan.h"

#include <memory>
#include <optional>
#include <set>

#include "common/event/identity.h"
#include "services/unifier/graph/graph_state.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// As ReadLiveCustomer: merges nest at most this deep before it is a loop.
constexpr int kMaxMergeDepth = 64;

// `tenant`: the tenant of the customer that lists the identity.
base::Result<v1::IdentityExplanation> ExplainIdentity(Store& store, const v1::Identity& identity,
                                                      std::string_view tenant, const rocksdb::Snapshot* snapshot) {
  auto record = store.GetIdentity(TenantIdentityKey(tenant, identity), snapshot);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return base::Status::Corruption("a customer lists identity " + event::IdentityToArgument(identity) +
                                    ", which has no record");
  }
  v1::IdentityExplanation out;
  *out.mutable_identity() = (*record)->identity();
  out.set_identity_id((*record)->identity_id());
  *out.mutable_reason() = (*record)->reason();
  *out.mutable_history() = (*record)->history();
  auto events = CountTimeline(store, (*record)->identity_id(), snapshot);
  if (!events.ok()) return events.status();
  out.set_event_count(*events);
  return out;
}

base::Result<std::optional<v1::MergeRecord>> ReadMerge(Store& store, const std::string& merge_id,
                                                       const rocksdb::Snapshot* snapshot) {
  auto stored = store.GetRaw(store.merges(), merge_id, snapshot);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<v1::MergeRecord>();
  v1::MergeRecord merge;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**stored, &merge));
  return std::optional<v1::MergeRecord>(std::move(merge));
}

// Adds the MergeRecords of the merges that took a customer into `customer` (split or not).
base::Status AddMerges(Store& store, const v1::CustomerRecord& customer, const rocksdb::Snapshot* snapshot,
                       std::set<std::string>& merges, v1::ExplainResponse* out) {
  for (const v1::GraphHistoryEntry& entry : customer.history()) {
    if (entry.kind() != v1::GraphHistoryEntry::MERGED_IN || !merges.insert(entry.merge_id()).second) continue;
    auto merge = ReadMerge(store, entry.merge_id(), snapshot);
    if (!merge.ok()) return merge.status();
    if (merge->has_value()) *out->add_merges() = std::move(**merge);
  }
  return base::Status::Ok();
}

// Adds the ids of the customers merged into `customer` (and, recursively, into those) that
// a lookup still redirects to it (merges not split since), and the merges those took in.
base::Status AddAbsorbed(Store& store, const v1::CustomerRecord& customer, const rocksdb::Snapshot* snapshot, int depth,
                         std::set<std::string>& seen, std::set<std::string>& merges, v1::ExplainResponse* out) {
  if (depth > kMaxMergeDepth) {
    return base::Status::Corruption("the merges into customer " + customer.customer_id() + " nest too deep");
  }
  for (const v1::GraphHistoryEntry& entry : customer.history()) {
    if (entry.kind() != v1::GraphHistoryEntry::MERGED_IN || entry.merge_id().empty()) continue;
    auto other = store.GetCustomer(entry.other_customer_id(), snapshot);
    if (!other.ok()) return other.status();
    if (!other->has_value() || (*other)->merged_into() != customer.customer_id() ||
        (*other)->merge_id() != entry.merge_id() || !seen.insert((*other)->customer_id()).second) {
      continue;  // split since (or merged by another merge)
    }
    out->add_merged_customer_ids((*other)->customer_id());
    OMNIHUB_RETURN_IF_ERROR(AddMerges(store, **other, snapshot, merges, out));
    OMNIHUB_RETURN_IF_ERROR(AddAbsorbed(store, **other, snapshot, depth + 1, seen, merges, out));
  }
  return base::Status::Ok();
}

// The sorted conversation keys of the events on `identity_id`'s timeline.
base::Status AddConversations(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot,
                              std::set<std::string>& conversations) {
  IdentityTimelineScan scan(store, identity_id, snapshot);
  for (rocksdb::Iterator& it = scan.it(); it.Valid(); it.Next()) {
    v1::TimelineRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(std::string_view(it.value().data(), it.value().size()), &record));
    if (!record.event().conversation().empty()) conversations.insert(record.event().conversation());
  }
  return FromRocks(scan.it().status(), "timeline scan");
}

base::Status FillSide(Store& store, const v1::CustomerRecord& customer, const rocksdb::Snapshot* snapshot,
                      v1::MergeSide* side) {
  side->set_customer_id(customer.customer_id());
  std::set<std::string> conversations;
  uint64_t events = 0;
  for (const v1::Identity& identity : customer.identities()) {
    auto explained = ExplainIdentity(store, identity, customer.tenant_id(), snapshot);
    if (!explained.ok()) return explained.status();
    events += explained->event_count();
    OMNIHUB_RETURN_IF_ERROR(AddConversations(store, explained->identity_id(), snapshot, conversations));
    *side->add_identities() = std::move(*explained);
  }
  side->set_event_count(events);
  for (const std::string& conversation : conversations) side->add_conversations(conversation);
  return base::Status::Ok();
}

}  // namespace

base::Status Explain(Store& store, const event::IdentityNormalizer& normalizer, const v1::ExplainRequest& request,
                     const rocksdb::Snapshot* snapshot, v1::ExplainResponse* out, std::string_view tenant) {
  auto record = FindCustomer(store, normalizer, request.customer(), snapshot, tenant);
  if (!record.ok()) return record.status();
  auto customer = CustomerForClient(store, *record, snapshot);
  if (!customer.ok()) return customer.status();
  *out->mutable_customer() = std::move(*customer);
  for (const v1::Identity& identity : record->identities()) {
    auto explained = ExplainIdentity(store, identity, record->tenant_id(), snapshot);
    if (!explained.ok()) return explained.status();
    *out->add_identities() = std::move(*explained);
  }
  *out->mutable_history() = record->history();
  std::set<std::string> merges;
  OMNIHUB_RETURN_IF_ERROR(AddMerges(store, *record, snapshot, merges, out));
  std::set<std::string> seen{record->customer_id()};
  return AddAbsorbed(store, *record, snapshot, 0, seen, merges, out);
}

base::Status PreviewMerge(Store& store, const event::IdentityNormalizer& normalizer,
                          const v1::MergePreviewRequest& request, const rocksdb::Snapshot* snapshot,
                          v1::MergePreviewResponse* out, std::string_view tenant) {
  auto survivor = FindCustomer(store, normalizer, request.survivor(), snapshot, tenant);
  if (!survivor.ok()) return survivor.status().WithContext("survivor");
  auto other = FindCustomer(store, normalizer, request.other(), snapshot, tenant);
  if (!other.ok()) return other.status().WithContext("other");
  if (survivor->customer_id() == other->customer_id()) {
    return base::Status::FailedPrecondition("survivor and other are the same customer " + survivor->customer_id());
  }
  OMNIHUB_RETURN_IF_ERROR(FillSide(store, *survivor, snapshot, out->mutable_survivor()));
  OMNIHUB_RETURN_IF_ERROR(FillSide(store, *other, snapshot, out->mutable_other()));
  out->set_event_count_after(out->survivor().event_count() + out->other().event_count());
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
