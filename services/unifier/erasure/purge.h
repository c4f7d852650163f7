// The physical half of an erasure (docs/erasure.md): once the search index has applied the
// erasure's change, flush and compact every column family of the store (the bottommost
// level and the blob files too, so no SST or blob file keeps a deleted value or a deleted
// key), delete the write-ahead logs the flush made obsolete, and compact the search index.
//
// Call it without holding a snapshot or an iterator of the store: what an open snapshot can
// still see, compaction must keep (QueryService answers a PurgeRequest outside its snapshot).
//
// Thread-safety: any thread (RocksDB's compaction and the index's Compact are thread-safe).
#pragma once

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/search/search_backend.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// `search` may be nullptr (a unifier that runs no search index): only the store is purged.
base::Status Purge(Store& store, SearchBackend* search, const v1::PurgeRequest& request, v1::PurgeResponse* out);

}  // namespace omnihub::unifier
