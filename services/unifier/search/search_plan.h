// What one SearchRequest asks of the index (docs/search.md#queries): the text query with every
// filter as one Xapian query, the order, where the page starts (its cursor) and its size, and
// the next page's cursor. The customer filter is resolved from the store at the request's
// snapshot into the customer's identity ids (documents name identities).
//
// Cursors: NEWEST order uses the timeline's cursor (the sort key of the page's last hit; the
// next page is strictly older); RELEVANCE order the offset of the next page.
//
// Thread-safety: pure reads through the thread-safe Store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rocksdb/db.h>
#include <xapian.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/search/search_query.h"
#include "services/unifier/search/text_analyzer.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

struct SearchPlan {
  Xapian::Query query;
  Highlights highlights;
  bool newest = true;
  uint64_t offset = 0;  // RELEVANCE: matches to skip
  uint32_t limit = 0;
  bool nothing = false;  // no document can match: a customer without identities, an empty time range
};

struct PageLimits {
  uint32_t default_limit = 20;
  uint32_t max_limit = 1000;
};

// InvalidArgument naming the defect for a query with nothing to search for, a bad time range
// or a cursor of another kind; FindCustomer's errors for the customer (looked up as a query
// of `tenant` does). Only `tenant`'s messages match ("" or "default": the default tenant).
base::Result<SearchPlan> PlanSearch(const v1::SearchRequest& request, Store& store,
                                    const event::IdentityNormalizer& normalizer, const TextAnalyzer& analyzer,
                                    const rocksdb::Snapshot* snapshot, PageLimits limits,
                                    std::string_view tenant = {});

// The cursor of the page after one whose last match had `last_sort_key` (value slot kSortSlot).
std::string NextCursor(const SearchPlan& plan, const std::string& last_sort_key);

}  // namespace omnihub::unifier::search
