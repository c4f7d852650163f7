// What one message becomes in the Xapian index, and the terms both sides share
// (docs/search.md#the-index). Every term has a one-letter prefix, so no word can collide with
// a filter term:
//   W<stripped word>   positional (phrases); every word, and the parts of a dotted or
//                      @-joined word ("example.com" -> example, com)
//   X<exact word>      the case-folded word with its marks, when it has any (ranks an exact
//                      spelling above an accent-insensitive match)
//   B<2 characters>    Chinese/Japanese character bigrams, positional in a numbering of their own
//   U<character>       Chinese/Japanese single characters
//   E<email> P<E.164> H<handle>   identifiers written in the text (identifier_scanner.h)
//   Q<event id hex>    the document's unique id (replace_document)
//   I<identity id> C<channel> D<direction> T<tenant>   boolean filter terms (T: the tenant id,
//                      "default" for the default tenant)
// Value slot 0 is the sort key occurred_at (8, ordered BE) | event id (16), so sorting by it
// is newest-first order and a value range on it is a time filter. The document data is the
// event id (16 bytes).
//
// Thread-safety: pure functions; the analyzer and normalizer are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "common/event/identity.h"
#include "services/unifier/search/text_analyzer.h"

namespace omnihub::unifier::search {

inline constexpr Xapian::valueno kSortSlot = 0;
// Xapian refuses terms longer than this (glass: 245 bytes); longer words are not indexed.
inline constexpr size_t kMaxTermBytes = 240;

std::string WordTerm(std::string_view stripped);
std::string ExactTerm(std::string_view exact);
std::string BigramTerm(std::string_view two_characters);
std::string CharacterTerm(std::string_view character);
std::string EmailTerm(std::string_view email);
std::string PhoneTerm(std::string_view e164);
std::string HandleTerm(std::string_view handle);
std::string EventIdTerm(std::string_view event_id);
std::string IdentityTerm(uint64_t identity_id);
std::string ChannelTerm(int channel);
std::string DirectionTerm(int direction);
// "" and "default" are the default tenant's term.
std::string TenantTerm(std::string_view tenant);

// occurred_at (8, ordered BE) | event_id.
std::string SortKey(int64_t occurred_at_us, std::string_view event_id);

// The searchable parts of one message (its subject and current text) and where it belongs.
struct IndexedMessage {
  std::string event_id;  // 16 bytes
  uint64_t identity_id = 0;
  int channel = 0;
  int direction = 0;
  int64_t occurred_at_us = 0;
  std::string subject;
  std::string text;
  std::string tenant;  // the event's tenant_id ("" for the default tenant)
};

// The document of `message`. Its word count is 0 when neither subject nor text has a word
// (the caller then removes the document instead).
struct MessageDocument {
  Xapian::Document document;
  size_t words = 0;
};
MessageDocument BuildMessageDocument(const IndexedMessage& message, const TextAnalyzer& analyzer,
                                     const event::IdentityNormalizer& normalizer);

// The parts a word is also indexed under when it joins parts with '.', '@', '_', '-' or an
// apostrophe ("ana.k@example.com" -> ana.k, example.com, ana, k, example, com); empty for a
// plain word. Only the parts, never substrings of a part.
std::vector<std::string> WordParts(std::string_view stripped);

// Chinese/Japanese runs: the words of one run of adjacent CJK words, as characters.
std::vector<std::vector<std::string>> CjkRuns(const std::vector<AnalyzedWord>& words);

}  // namespace omnihub::unifier::search
