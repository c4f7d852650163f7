#include "services/unifier/search/search_metrics.h"

#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier::search {
namespace {

// The store's latest change sequence; 0 before the first change (or when unreadable: a scrape
// must not fail, and the store's own errors surface elsewhere).
uint64_t LastChangeSeq(Store& store) {
  auto raw = store.GetRaw(store.meta(), kMetaLastChangeSeq);
  if (!raw.ok() || !raw->has_value()) return 0;
  auto seq = DecodeCounterValue(**raw, "last change seq");
  return seq.ok() ? *seq : 0;
}

}  // namespace

void AddSearchMetrics(service::Registry& registry, Store& store, const SearchBackend& index) {
  registry.AddGaugeCallback("omnihub_search_indexed_change_seq",
                            "The last change_seq the full-text index reflects (committed in the index).",
                            [&index] { return static_cast<double>(index.indexed_change_seq()); });
  registry.AddGaugeCallback("omnihub_search_index_lag_changes",
                            "Changes committed to the store that the full-text index has not applied yet "
                            "(last change_seq - indexed change_seq).",
                            [&store, &index] {
                              const uint64_t indexed = index.indexed_change_seq();
                              const uint64_t last = LastChangeSeq(store);
                              return last > indexed ? static_cast<double>(last - indexed) : 0.0;
                            });
}

}  // namespace omnihub::unifier::search
