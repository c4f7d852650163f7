#include "services/unifier/query/customer_lookup.h"

#include "common/base/text.h"
#include "common/event/identity.h"
#include "services/unifier/identity/handle_index.h"
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

}  // namespace

base::Result<std::string> CustomerIdByHandle(Store& store, const v1::Identity& reference,
                                             const rocksdb::Snapshot* snapshot) {
  const std::string platform = base::LowerAscii(base::Trim(reference.platform()));
  const std::string handle = "@" + HandleIndexName(base::Trim(reference.handle()));
  if (platform.empty() || handle == "@") {
    return base::Status::InvalidArgument("a handle reference needs a platform and a handle (e.g. x:@ana_k)");
  }
  auto keys = FindIdentityKeysByHandle(store, platform, handle, snapshot);
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
    auto rec = store.GetIdentity(event::IdentityKey(identity), snapshot);
    if (!rec.ok()) return rec.status();
    if (!rec->has_value()) {
      return base::Status::Corruption("customer " + record.customer_id() + " lists identity " +
                                      event::IdentityToArgument(identity) + ", which has no record");
    }
    *customer.add_link_reasons() = ToApiReason((*rec)->reason());
  }
  return customer;
}

}  // namespace omnihub::unifier
