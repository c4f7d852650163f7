// The search index's series on the unifier's /metrics (docs/operations.md): how far the index
// is behind the store's change log. Read at scrape time.
//
// Thread-safety: the callbacks read an atomic and the thread-safe Store.
#pragma once

#include "common/service/metrics.h"
#include "services/unifier/search/search_backend.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

// `store` and `index` must outlive every Render of `registry`.
void AddSearchMetrics(service::Registry& registry, Store& store, const SearchBackend& index);

}  // namespace omnihub::unifier::search
