// The recent_customers query (query.proto RecentCustomersRequest): the customers with the
// newest activity, read backwards from the change log's event_added changes. A customer
// merged into another is shown as the survivor; an erased one is left out. Each customer is
// listed once per page; one with older activity too may show again on a later page (the
// listing holds no state between pages), so a client merges pages by customer_id. Only the
// customers of `tenant` ("" or "default": the default tenant) are listed: a partition's
// change log holds every tenant assigned to it.
//
// Thread-safety: reads through the thread-safe Store from the given snapshot.
#pragma once

#include <string_view>

#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

base::Status RecentCustomers(Store& store, const v1::RecentCustomersRequest& req, uint32_t limit,
                             const rocksdb::Snapshot* snapshot, v1::RecentCustomersResponse* out,
                             std::string_view tenant = {});

}  // namespace omnihub::unifier
