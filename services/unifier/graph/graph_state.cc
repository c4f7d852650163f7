#include "services/unifier/graph/graph_state.h"

#include "services/unifier/store/identity_timeline_scan.h"

#include <algorithm>
#include <memory>

#include "common/base/coding.h"
#include "common/event/identity.h"
#include "common/event/tenant_id.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// As ReadLiveCustomer: a merge chain longer than this is a loop.
constexpr int kMaxMergeHops = 64;

}  // namespace

std::string GraphState::Key(const v1::Identity& identity) const {
  return TenantIdentityKey(ctx_.command.tenant_id(), identity);
}

base::Result<v1::IdentityRecord*> GraphState::Identity(const std::string& identity_key) {
  auto& staged = ctx_.identities.identities;
  if (auto it = staged.find(identity_key); it != staged.end()) return &it->second;
  auto stored = ctx_.store.GetIdentity(identity_key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return nullptr;
  return &staged.emplace(identity_key, std::move(**stored)).first->second;
}

base::Result<v1::IdentityRecord*> GraphState::IdentityById(uint64_t identity_id) {
  auto raw_key = ctx_.store.GetRaw(ctx_.store.identity_ids(), base::EncodeFixed64BE(identity_id));
  if (!raw_key.ok()) return raw_key.status();
  if (!raw_key->has_value()) return nullptr;
  auto key = DecodeRawValue(**raw_key, "identity_ids value");
  if (!key.ok()) return key.status();
  return Identity(std::string(*key));
}

base::Result<v1::CustomerRecord*> GraphState::MaybeCustomer(const std::string& customer_id) {
  auto& staged = ctx_.identities.customers;
  if (auto it = staged.find(customer_id); it != staged.end()) return &it->second;
  auto stored = ctx_.store.GetCustomer(customer_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return nullptr;
  return &staged.emplace(customer_id, std::move(**stored)).first->second;
}

base::Result<v1::CustomerRecord*> GraphState::Customer(const std::string& customer_id) {
  auto found = MaybeCustomer(customer_id);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return base::Status::Corruption("customer " + customer_id + " does not exist");
  return *found;
}

base::Result<v1::CustomerRecord*> GraphState::LiveCustomer(const std::string& customer_id) {
  std::string id = customer_id;
  for (int hop = 0; hop <= kMaxMergeHops; ++hop) {
    auto customer = MaybeCustomer(id);
    if (!customer.ok()) return customer.status();
    if (*customer == nullptr || (*customer)->merged_into().empty()) return *customer;
    id = (*customer)->merged_into();
  }
  return base::Status::Corruption("the merges of customer " + customer_id + " do not end");
}

base::Result<v1::CustomerRecord*> GraphState::Select(const v1::CustomerSelector& selector, const std::string& field) {
  // The command is alone in its batch, so the committed state is all there is to read.
  auto found = FindTenantCustomer(ctx_.store, ctx_.normalizer, selector, nullptr, ctx_.command.tenant_id());
  if (!found.ok()) {
    if (found.status().code() == base::StatusCode::kInvalidArgument ||
        found.status().code() == base::StatusCode::kNotFound) {
      return base::Status(found.status().code(), field + ": " + found.status().message());
    }
    return found.status();
  }
  return Customer(found->customer_id());
}

v1::CustomerRecord& GraphState::NewCustomer(const std::string& customer_id) {
  v1::CustomerRecord customer;
  customer.set_customer_id(customer_id);
  customer.set_created_at_us(ctx_.command.issued_at_us());
  customer.set_tenant_id(event::WireTenant(event::TenantOrDefault(ctx_.command.tenant_id())));
  ++ctx_.counters.customers;
  return ctx_.identities.customers.insert_or_assign(customer_id, std::move(customer)).first->second;
}

void GraphState::Changed(const std::string& identity_key) {
  if (std::find(changed_.begin(), changed_.end(), identity_key) == changed_.end()) changed_.push_back(identity_key);
}

void GraphState::Flush() {
  for (const std::string& key : changed_) {
    ctx_.batch.Put(ctx_.store.identities(), key, EncodeValue(ctx_.identities.identities.at(key)))
        .PermitUncheckedError();
  }
  changed_.clear();
}

v1::LinkReason GraphState::Reason(v1::LinkReason::Rule rule) const {
  v1::LinkReason reason;
  reason.set_rule(rule);
  reason.set_agent(ctx_.command.actor());
  reason.set_detail(ctx_.command.reason());
  reason.set_command_id(ctx_.command.command_id());
  reason.set_linked_at_us(ctx_.command.issued_at_us());
  return reason;
}

v1::GraphHistoryEntry GraphState::Entry(v1::GraphHistoryEntry::Kind kind) const {
  v1::GraphHistoryEntry entry;
  entry.set_kind(kind);
  entry.set_actor(ctx_.command.actor());
  entry.set_reason(ctx_.command.reason());
  entry.set_at_us(ctx_.command.issued_at_us());
  entry.set_command_id(ctx_.command.command_id());
  return entry;
}

base::Result<uint64_t> CountTimeline(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot) {
  IdentityTimelineScan scan(store, identity_id, snapshot);
  uint64_t count = 0;
  for (; scan.it().Valid(); scan.it().Next()) ++count;
  OMNIHUB_RETURN_IF_ERROR(FromRocks(scan.it().status(), "timeline count"));
  return count;
}

}  // namespace omnihub::unifier
