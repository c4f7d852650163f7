#include "services/unifier/search/search_metrics.h"

#include "services/unifier/store/last_change_seq.h"

namespace omnihub::unifier::search {

void AddSearchMetrics(service::Registry& registry, Store& store, const SearchBackend& index) {
  registry.AddGaugeCallback("omnihub_search_indexed_change_seq",
                            "The last change_seq the full-text index reflects (committed in the index).",
                            [&index] { return static_cast<double>(index.indexed_change_seq()); });
  registry.AddGaugeCallback("omnihub_search_index_lag_changes",
                            "Changes committed to the store that the full-text index has not applied yet "
                            "(last change_seq - indexed change_seq).",
                            [&store, &index] {
                              return static_cast<double>(ChangesAfter(store, index.indexed_change_seq()));
                            });
}

}  // namespace omnihub::unifier::search
