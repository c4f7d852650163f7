// The snippet of a search hit: a window of the message text around its first match, with
// every matched word in it marked as [[word]] and "…" where the text was cut. Made here
// rather than by Xapian's MSet::snippet, which re-tokenizes with its own rules and knows
// nothing of the stripped forms, identifiers and bigrams a match can come from.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omnihub::unifier::search {

inline constexpr size_t kSnippetBytes = 240;

// `matches`: byte ranges of `text`, sorted and not overlapping (MatchRanges). Line breaks and
// runs of spaces become one space. At most about `max_bytes` of text, cut at character
// boundaries (and at a space when one is near).
std::string MakeSnippet(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches,
                        size_t max_bytes = kSnippetBytes);

}  // namespace omnihub::unifier::search
