// The physical half of an erasure (docs/erasure.md): once the search index has applied the
// erasure's change, flush and compact every column family of the store (the bottommost
// level too, so no SST file keeps a deleted value) and compact the search index.
//
// Thread-safety: any thread (RocksDB's compaction and the index's Compact are thread-safe).
#pragma once

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/search/search_backend.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

base::Status Purge(Store& store, SearchBackend& search, const v1::PurgeRequest& request, v1::PurgeResponse* out);

}  // namespace omnihub::unifier
