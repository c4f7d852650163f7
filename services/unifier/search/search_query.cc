#include "services/unifier/search/search_query.h"

#include <algorithm>

#include "common/base/text.h"
#include "services/unifier/search/identifier_scanner.h"
#include "services/unifier/search/index_terms.h"

namespace omnihub::unifier::search {
namespace {

struct Segment {
  std::string_view text;
  bool phrase = false;
};

bool IsWordByte(char c) {
  return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || static_cast<unsigned char>(c) >= 0x80;
}

// Splits at double quotes that open or close a phrase. A quote between two letters is part of
// a word (the Hebrew acronym צה"ל), not a phrase mark. An unclosed quote runs to the end.
std::vector<Segment> SplitPhrases(std::string_view q) {
  std::vector<Segment> out;
  bool in_phrase = false;
  size_t start = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] != '"') continue;
    const bool inner = i > 0 && i + 1 < q.size() && IsWordByte(q[i - 1]) && IsWordByte(q[i + 1]);
    if (inner) continue;
    if (i > start) out.push_back({q.substr(start, i - start), in_phrase});
    in_phrase = !in_phrase;
    start = i + 1;
  }
  if (start < q.size()) out.push_back({q.substr(start), in_phrase});
  return out;
}

Xapian::Query WordQuery(const AnalyzedWord& w) {
  Xapian::Query stripped(WordTerm(w.stripped));
  if (w.exact == w.stripped) return stripped;
  // Matches with or without the marks; the exact spelling only adds weight.
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, stripped, Xapian::Query(ExactTerm(w.exact)));
}

Xapian::Query CjkQuery(const std::vector<std::string>& chars) {
  if (chars.size() == 1) return Xapian::Query(CharacterTerm(chars[0]));
  std::vector<Xapian::Query> bigrams;
  for (size_t i = 0; i + 1 < chars.size(); ++i) bigrams.emplace_back(BigramTerm(chars[i] + chars[i + 1]));
  if (bigrams.size() == 1) return bigrams[0];
  return Xapian::Query(Xapian::Query::OP_PHRASE, bigrams.begin(), bigrams.end(), static_cast<Xapian::termcount>(bigrams.size()));
}

std::string Join(const std::vector<std::string>& chars) {
  std::string s;
  for (const auto& c : chars) s += c;
  return s;
}

void AddCjkRuns(const std::vector<AnalyzedWord>& words, std::vector<Xapian::Query>* parts, Highlights* highlights) {
  for (const auto& run : CjkRuns(words)) {
    parts->push_back(CjkQuery(run));
    highlights->cjk.insert(Join(run));
  }
}

void AddFreeText(std::string_view text, const TextAnalyzer& analyzer, const event::IdentityNormalizer& normalizer,
                 std::vector<Xapian::Query>* parts, Highlights* highlights) {
  const std::vector<FoundIdentifier> ids = FindIdentifiers(text, normalizer);
  for (const FoundIdentifier& id : ids) {
    switch (id.kind) {
      case FoundIdentifier::kEmail: parts->emplace_back(EmailTerm(id.value)); break;
      case FoundIdentifier::kPhone: parts->emplace_back(PhoneTerm(id.value)); break;
      case FoundIdentifier::kHandle: parts->emplace_back(HandleTerm(id.value)); break;
    }
    highlights->identifiers.insert(id.value);
  }
  // The words an identifier is written with are that identifier, not words of their own: the
  // same number spelled "4155550100" has none of the words of "(415) 555-0100".
  std::vector<AnalyzedWord> words = analyzer.Words(text);
  std::erase_if(words, [&](const AnalyzedWord& w) {
    return std::any_of(ids.begin(), ids.end(), [&](const FoundIdentifier& id) { return id.begin <= w.begin && w.end <= id.end; });
  });
  for (const AnalyzedWord& w : words) {
    if (w.cjk) continue;
    parts->push_back(WordQuery(w));
    highlights->words.insert(w.stripped);
  }
  AddCjkRuns(words, parts, highlights);
}

void AddPhrase(std::string_view text, const TextAnalyzer& analyzer, std::vector<Xapian::Query>* parts,
               Highlights* highlights) {
  const std::vector<AnalyzedWord> words = analyzer.Words(text);
  if (words.empty()) return;
  if (std::all_of(words.begin(), words.end(), [](const AnalyzedWord& w) { return w.cjk; })) {
    AddCjkRuns(words, parts, highlights);
    return;
  }
  if (words.size() == 1) {
    parts->push_back(WordQuery(words[0]));
    highlights->words.insert(words[0].stripped);
    return;
  }
  std::vector<Xapian::Query> terms;
  for (const AnalyzedWord& w : words) {
    terms.emplace_back(WordTerm(w.stripped));
    highlights->words.insert(w.stripped);
  }
  parts->emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), static_cast<Xapian::termcount>(terms.size()));
}

}  // namespace

base::Result<TextQuery> ParseTextQuery(std::string_view query, const TextAnalyzer& analyzer,
                                       const event::IdentityNormalizer& normalizer) {
  TextQuery out;
  std::vector<Xapian::Query> parts;
  for (const Segment& s : SplitPhrases(query)) {
    if (s.phrase) {
      AddPhrase(s.text, analyzer, &parts, &out.highlights);
    } else {
      AddFreeText(s.text, analyzer, normalizer, &parts, &out.highlights);
    }
  }
  if (parts.empty()) {
    return base::Status::InvalidArgument("query " + base::QuoteForMessage(query) +
                                         " has no word, phrase or identifier to search for");
  }
  out.query = parts.size() == 1 ? parts[0] : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
  return out;
}

std::vector<std::pair<size_t, size_t>> MatchRanges(std::string_view text, const Highlights& highlights,
                                                   const TextAnalyzer& analyzer,
                                                   const event::IdentityNormalizer& normalizer) {
  std::vector<std::pair<size_t, size_t>> ranges;
  if (!highlights.words.empty()) {
    for (const AnalyzedWord& w : analyzer.Words(text)) {
      bool hit = highlights.words.count(w.stripped) > 0;
      for (const std::string& part : WordParts(w.stripped)) hit = hit || highlights.words.count(part) > 0;
      if (hit) ranges.emplace_back(w.begin, w.end);
    }
  }
  if (!highlights.identifiers.empty()) {
    for (const FoundIdentifier& id : FindIdentifiers(text, normalizer)) {
      if (highlights.identifiers.count(id.value) > 0) ranges.emplace_back(id.begin, id.end);
    }
  }
  for (const std::string& s : highlights.cjk) {
    for (size_t at = text.find(s); at != std::string_view::npos; at = text.find(s, at + s.size())) {
      ranges.emplace_back(at, at + s.size());
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace omnihub::unifier::search
