// The tenant a duplicate suggestion belongs to. A suggestion pairs two identities of one
// tenant (suggestion_detector.h), but its record names them bare, so the tenant is that of
// the events that mentioned them: the first of its evidence still stored. Listing and
// dismissing suggestions use it, so that a tenant sees and acts on its own only.
//
// Thread-safety: pure reads through the thread-safe Store.
#pragma once

#include <optional>
#include <string>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// "default" or the tenant id; nullopt when none of its evidence is stored any more.
base::Result<std::optional<std::string>> SuggestionTenant(Store& store, const v1::SuggestionRecord& record,
                                                          const rocksdb::Snapshot* snapshot = nullptr);

}  // namespace omnihub::unifier
