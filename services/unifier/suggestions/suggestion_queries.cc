#include "services/unifier/suggestions/suggestion_queries.h"

#include <memory>
#include <optional>

#include "common/base/coding.h"
#include "common/event/tenant_id.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/suggestions/suggestion_tenant.h"

namespace omnihub::unifier {
namespace {

// The live customer of `identity` in `tenant` at the snapshot; nullopt when nobody has it (any more: an
// erasure removes the identity and the suggestions naming it, in one batch, but a reader must
// not fail on a record it cannot place).
base::Result<std::optional<std::string>> CustomerNow(Store& store, std::string_view tenant,
                                                     const v1::Identity& identity, const rocksdb::Snapshot* snapshot) {
  auto record = store.GetIdentity(TenantIdentityKey(tenant, identity), snapshot);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<std::string>();
  auto customer = ReadLiveCustomer(store, (*record)->customer_id(), snapshot);
  if (!customer.ok()) return customer.status();
  return std::optional<std::string>(customer->customer_id());
}

bool IsSuggestionId(const std::string& text) {
  std::string bytes;
  return text.size() == 32 && base::HexDecode(text, &bytes);
}

}  // namespace

base::Status ListSuggestions(Store& store, const event::IdentityNormalizer& normalizer,
                             const v1::SuggestionListRequest& request, uint32_t page_size,
                             const rocksdb::Snapshot* snapshot, v1::SuggestionListResponse* out,
                             std::string_view tenant) {
  if (!request.cursor().empty() && !IsSuggestionId(request.cursor())) {
    return base::Status::InvalidArgument("cursor '" + request.cursor() +
                                         "' is not a suggestion id (use the previous page's next_cursor)");
  }
  std::string only_customer;
  if (request.has_customer()) {
    auto customer = FindCustomer(store, normalizer, request.customer(), snapshot, tenant);
    if (!customer.ok()) return customer.status();
    only_customer = customer->customer_id();
  }

  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, store.suggestions()));
  if (request.cursor().empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(request.cursor());
    if (it->Valid() && it->key().ToStringView() == request.cursor()) it->Next();  // the cursor is the last one shown
  }
  for (; it->Valid(); it->Next()) {
    if (static_cast<uint32_t>(out->suggestions_size()) == page_size) {
      out->set_next_cursor(out->suggestions(out->suggestions_size() - 1).suggestion_id());
      break;
    }
    v1::SuggestionRecord record;
    if (base::Status s = DecodeValue(it->value().ToStringView(), &record); !s.ok()) {
      return s.WithContext("suggestion " + it->key().ToString());
    }
    auto record_tenant = SuggestionTenant(store, record, snapshot);
    if (!record_tenant.ok()) return record_tenant.status();
    if (!record_tenant->has_value() || **record_tenant != event::TenantOrDefault(tenant)) continue;
    auto customer = CustomerNow(store, tenant, record.mentioned(), snapshot);
    if (!customer.ok()) return customer.status();
    auto other = CustomerNow(store, tenant, record.author(), snapshot);
    if (!other.ok()) return other.status();
    if (!customer->has_value() || !other->has_value()) continue;
    if (!only_customer.empty() && **customer != only_customer && **other != only_customer) continue;
    // A merge resolves a suggestion by itself: both sides are one customer now, and a split
    // reopens it.
    const char* state = **customer == **other ? "merged" : record.dismissed() ? "dismissed" : "open";
    if (!request.include_resolved() && std::string_view(state) != "open") continue;
    v1::Suggestion* suggestion = out->add_suggestions();
    suggestion->set_suggestion_id(record.suggestion_id());
    suggestion->set_customer_id(**customer);
    suggestion->set_other_customer_id(**other);
    suggestion->set_state(state);
    *suggestion->mutable_record() = std::move(record);
  }
  if (!it->status().ok()) return base::Status::IoError("suggestions: " + it->status().ToString());
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
