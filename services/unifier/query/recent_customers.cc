#include "services/unifier/query/recent_customers.h"

#include <memory>
#include <string>
#include <unordered_set>

#include "common/base/coding.h"
#include "common/event/tenant_id.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

base::Status RecentCustomers(Store& store, const v1::RecentCustomersRequest& req, uint32_t limit,
                             const rocksdb::Snapshot* snapshot, v1::RecentCustomersResponse* out,
                             std::string_view tenant) {
  const std::string wire_tenant = event::WireTenant(event::TenantOrDefault(tenant));
  const uint64_t scan_max = req.scan_max() != 0 ? req.scan_max() : uint64_t{100} * limit;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, store.change_log()));
  if (req.before_seq() != 0) {
    it->SeekForPrev(base::EncodeFixed64BE(req.before_seq() - 1));
  } else {
    it->SeekToLast();
  }
  std::unordered_set<std::string> seen;  // live customer ids already listed
  uint64_t scanned = 0;
  uint64_t last_seq = 0;
  for (; it->Valid() && static_cast<uint32_t>(out->customers_size()) < limit && scanned < scan_max; it->Prev()) {
    ++scanned;
    v1::ChangeLogRecord rec;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &rec).WithContext("change log"));
    const v1::ChangeNotification& change = rec.change();
    last_seq = change.change_seq();
    if (change.customer_id().empty()) continue;  // dead letters, tombstones of erased changes
    if (change.kind() != v1::EVENT_ADDED) continue;
    auto record = ReadLiveCustomer(store, change.customer_id(), snapshot);
    if (!record.ok()) {
      if (record.status().code() == base::StatusCode::kNotFound) continue;  // erased since
      return record.status();
    }
    // The customer's tenant, not the change's: changes written before apply version 3 name none.
    if (record->tenant_id() != wire_tenant) continue;
    if (!seen.insert(record->customer_id()).second) continue;
    auto customer = CustomerForClient(store, *record, snapshot);
    if (!customer.ok()) return customer.status();
    v1::RecentCustomer* entry = out->add_customers();
    *entry->mutable_customer() = std::move(*customer);
    entry->set_last_activity_us(change.occurred_at_us() != 0 ? change.occurred_at_us() : change.committed_at_us());
    entry->set_change_seq(change.change_seq());
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "change log scan"));
  out->set_next_before_seq(it->Valid() && last_seq > 1 ? last_seq : 0);
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
