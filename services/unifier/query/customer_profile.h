// A customer's profile (query.proto CustomerProfileRequest): the customer with why each
// identity belongs to it, each identity's oldest and newest timeline entry (one seek each way,
// so first and last contact are exact), and a summary of the newest timeline page: channels,
// message counts by direction, notes, activities, and the conversations awaiting a reply (their
// newest MESSAGE in that page is INBOUND). Never reads the whole history: a profile costs
// O(identities + one page) however long the customer has been writing.
//
// Thread-safety: pure reads through the thread-safe Store, from the given snapshot.
#pragma once

#include <cstdint>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// `recent_limit` is the page size already capped by the caller (QueryService::PageSize).
// InvalidArgument / NotFound as FindCustomer for a query of `tenant`.
base::Status ReadCustomerProfile(Store& store, const event::IdentityNormalizer& normalizer,
                                 const v1::CustomerProfileRequest& request, uint32_t recent_limit,
                                 const rocksdb::Snapshot* snapshot, v1::CustomerProfileResponse* out,
                                 std::string_view tenant = {});

}  // namespace omnihub::unifier
