// A search's query text as a Xapian query over the terms of index_terms.h, made by the same
// analyzer as the index (docs/search.md#queries):
//  - words are ANDed; a word matches the whole word only, with or without its marks (the
//    stripped form), and a document with the exact spelling ranks higher;
//  - "a quoted phrase" matches those words in that order (positions);
//  - an email address, a phone number in any spelling, or an @handle is one identifier term;
//  - Chinese/Japanese text matches as a phrase of character bigrams (a single character as
//    itself), so a query finds a word inside a longer unsegmented run.
// It also remembers what to mark in snippets.
//
// Thread-safety: pure functions.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "services/unifier/search/text_analyzer.h"

namespace omnihub::unifier::search {

// What a snippet marks: the words (stripped forms), identifiers (normalized values) and
// Chinese/Japanese strings (exact forms) the query looked for.
struct Highlights {
  std::set<std::string> words;
  std::set<std::string> identifiers;
  std::set<std::string> cjk;
};

struct TextQuery {
  Xapian::Query query;
  Highlights highlights;
};

// InvalidArgument naming `query` when it has nothing to search for (only spaces and punctuation).
base::Result<TextQuery> ParseTextQuery(std::string_view query, const TextAnalyzer& analyzer,
                                       const event::IdentityNormalizer& normalizer);

// The byte ranges of `text` that `highlights` mark, in order and not overlapping.
std::vector<std::pair<size_t, size_t>> MatchRanges(std::string_view text, const Highlights& highlights,
                                                   const TextAnalyzer& analyzer,
                                                   const event::IdentityNormalizer& normalizer);

}  // namespace omnihub::unifier::search
