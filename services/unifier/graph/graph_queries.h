// Reads of the identity graph (docs/identities.md): a customer's graph explained (each
// identity with how it came to belong and its earlier reasons, the customer's history of
// links, merges and splits), and the preview of a merge, which writes nothing.
//
// Thread-safety: pure reads through the thread-safe Store, each from the given snapshot.
#pragma once

#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// Both look customers up as a query of `tenant` does (FindCustomer).

base::Status Explain(Store& store, const event::IdentityNormalizer& normalizer, const v1::ExplainRequest& request,
                     const rocksdb::Snapshot* snapshot, v1::ExplainResponse* out, std::string_view tenant = {});

// InvalidArgument when both selectors name the same customer.
base::Status PreviewMerge(Store& store, const event::IdentityNormalizer& normalizer,
                          const v1::MergePreviewRequest& request, const rocksdb::Snapshot* snapshot,
                          v1::MergePreviewResponse* out, std::string_view tenant = {});

}  // namespace omnihub::unifier
