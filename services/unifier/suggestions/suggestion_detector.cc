#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/suggestions/suggestion_detector.h"

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "services/unifier/ingest/apply_time.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/suggestions/mention_scanner.h"

namespace omnihub::unifier {
namespace {

// Bounds a walk along merged_into (the same bound as the query side's).
constexpr int kMaxMergeHops = 64;

// The customer `customer_id` is now, as this batch leaves it: staged records first (a merge
// earlier in the batch), then committed ones.
base::Result<std::string> LiveCustomerId(Store& store, const IdentityStaging& identities, std::string customer_id) {
  for (int hop = 0; hop < kMaxMergeHops; ++hop) {
    std::string next;
    if (auto it = identities.customers.find(customer_id); it != identities.customers.end()) {
      next = it->second.merged_into();
    } else {
      auto stored = store.GetCustomer(customer_id);
      if (!stored.ok()) return stored.status();
      if (!stored->has_value()) return customer_id;  // nothing more to follow
      next = (*stored)->merged_into();
    }
    if (next.empty()) return customer_id;
    customer_id = std::move(next);
  }
  return base::Status::Corruption("the merges of customer " + customer_id + " do not end");
}

// The customer of the identity under `key` as this batch leaves it; "" when nobody has it.
base::Result<std::string> CustomerOfIdentity(Store& store, const IdentityStaging& identities, const std::string& key) {
  std::string customer_id;
  if (auto it = identities.identities.find(key); it != identities.identities.end()) {
    customer_id = it->second.customer_id();
  } else {
    auto stored = store.GetIdentity(key);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return std::string();
    customer_id = (*stored)->customer_id();
  }
  return LiveCustomerId(store, identities, std::move(customer_id));
}

// The record under `id`, staged or committed; nullptr when there is none yet.
base::Result<v1::SuggestionRecord*> FindRecord(Store& store, const std::string& id, SuggestionStaging& staged) {
  if (auto it = staged.records.find(id); it != staged.records.end()) return &it->second;
  auto raw = store.GetRaw(store.suggestions(), id);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return static_cast<v1::SuggestionRecord*>(nullptr);
  v1::SuggestionRecord& record = staged.records[id];
  if (base::Status s = DecodeValue(**raw, &record); !s.ok()) {
    staged.records.erase(id);
    return s.WithContext("suggestion " + id);
  }
  return &record;
}

bool HasEvidenceOf(const v1::SuggestionRecord& record, const std::string& event_id) {
  for (const auto& evidence : record.evidence()) {
    if (evidence.event_id() == event_id) return true;
  }
  return false;
}

}  // namespace

std::string SuggestionId(const v1::Identity& mentioned, const v1::Identity& author, std::string_view tenant) {
  // The tenant's key prefix is empty for the default tenant: its ids are those from before tenants.
  return base::HexEncode(
      base::Sha256(TenantKeyPrefix(tenant) + event::IdentityKey(mentioned) + event::IdentityKey(author)).substr(0, 16));
}

base::Status RecordMentionSuggestions(Store& store, const event::IdentityNormalizer& normalizer,
                                      const v1::Event& event, const v1::IdentityRecord& author,
                                      const IdentityStaging& identities, SuggestionStaging& staged,
                                      rocksdb::WriteBatch& batch,
                                      const std::function<v1::ChangeNotification&(v1::ChangeKind)>& add_change) {
  if (event.kind() != v1::MESSAGE) return base::Status::Ok();
  std::vector<Mention> mentions = FindMentions(event.subject(), normalizer);
  for (Mention& m : FindMentions(event.text(), normalizer)) mentions.push_back(std::move(m));
  if (mentions.empty()) return base::Status::Ok();

  auto author_customer = LiveCustomerId(store, identities, author.customer_id());
  if (!author_customer.ok()) return author_customer.status();
  // Mentions name identities of the event's tenant only.
  const std::string_view tenant = TenantOfDerivedIds(event);
  const std::string author_key = TenantIdentityKey(tenant, author.identity());
  for (const Mention& mention : mentions) {
    const std::string key = TenantIdentityKey(tenant, mention.identity);
    if (key == author_key) continue;
    auto mentioned_customer = CustomerOfIdentity(store, identities, key);
    if (!mentioned_customer.ok()) return mentioned_customer.status();
    // Nobody's identity (yet), or the author's own customer: nothing to suggest.
    if (mentioned_customer->empty() || *mentioned_customer == *author_customer) continue;

    const std::string id = SuggestionId(mention.identity, author.identity(), tenant);
    auto found = FindRecord(store, id, staged);
    if (!found.ok()) return found.status();
    v1::SuggestionRecord* record = *found;
    const bool is_new = record == nullptr;
    if (is_new) {
      record = &staged.records[id];
      record->set_suggestion_id(id);
      *record->mutable_mentioned() = mention.identity;
      *record->mutable_author() = author.identity();
      record->mutable_author()->clear_display_name();
      record->set_first_seen_us(EventTimeUs(event));
    }
    // The same message twice (subject and text) is one piece of evidence.
    if (record->evidence_size() >= kMaxSuggestionEvidence || HasEvidenceOf(*record, event.event_id())) continue;
    v1::SuggestionRecord::Evidence* evidence = record->add_evidence();
    evidence->set_event_id(event.event_id());
    evidence->set_text(mention.text);
    evidence->set_occurred_at_us(event.occurred_at_us());
    batch.Put(store.suggestions(), id, EncodeValue(*record)).PermitUncheckedError();
    if (is_new) {
      v1::ChangeNotification& change = add_change(v1::SUGGESTION_ADDED);
      change.set_suggestion_id(id);
      change.set_customer_id(*mentioned_customer);
      change.set_event_id(event.event_id());
      *change.mutable_identity() = mention.identity;
    }
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
