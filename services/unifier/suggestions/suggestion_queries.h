// Listing duplicate suggestions (docs/identities.md): each recorded pair with the customers
// its two identities belong to now, open unless dismissed or already one customer.
//
// Thread-safety: pure reads through the thread-safe Store, each from the given snapshot.
#pragma once

#include <cstdint>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// Only `tenant`'s suggestions ("" or "default": the default tenant's; suggestion_tenant.h),
// their identities looked up in that tenant; `request.customer` is looked up as a query of
// `tenant` does (FindCustomer).

base::Status ListSuggestions(Store& store, const event::IdentityNormalizer& normalizer,
                             const v1::SuggestionListRequest& request, uint32_t page_size,
                             const rocksdb::Snapshot* snapshot, v1::SuggestionListResponse* out,
                             std::string_view tenant = {});

}  // namespace omnihub::unifier
