// The hits of one page of search matches, read from the store at the request's snapshot: each
// message as the timeline shows it now, the identity and (live) customer it belongs to, and a
// snippet of its text (or of its subject when only the subject matched) with the matched words
// marked. A match whose message the store no longer has (erased; the index has not applied the
// erasure yet) is left out.
//
// Thread-safety: pure reads through the thread-safe Store; Xapian objects belong to the caller.
#pragma once

#include <string>

#include <rocksdb/db.h>
#include <xapian.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/search/search_plan.h"
#include "services/unifier/search/text_analyzer.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

// Appends the hits of the first plan.limit matches of `mset` to `out`; `last_sort_key` is the
// sort key of the last match taken. Xapian errors are the caller's to catch.
base::Status AppendHits(Store& store, const rocksdb::Snapshot* snapshot, const Xapian::MSet& mset,
                        const SearchPlan& plan, const TextAnalyzer& analyzer,
                        const event::IdentityNormalizer& normalizer, v1::SearchResponse* out,
                        std::string* last_sort_key);

}  // namespace omnihub::unifier::search
