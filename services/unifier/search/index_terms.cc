#include "services/unifier/search/index_terms.h"

#include <set>

#include "common/base/coding.h"
#include "common/event/tenant_id.h"
#include "services/unifier/search/identifier_scanner.h"

namespace omnihub::unifier::search {
namespace {

// Positions of the text start after the subject's with a gap, so no phrase spans the two.
constexpr Xapian::termpos kFieldGap = 100;
// Bigram positions count apart from word positions (a phrase of bigrams only compares bigrams),
// and runs are kept two apart so no bigram phrase spans two runs.
constexpr Xapian::termpos kBigramBase = 1u << 24;
constexpr Xapian::termpos kRunGap = 2;

bool Fits(const std::string& term) { return term.size() <= kMaxTermBytes; }

void AddPosting(Xapian::Document& doc, const std::string& term, Xapian::termpos pos) {
  if (Fits(term)) doc.add_posting(term, pos);
}
void AddTerm(Xapian::Document& doc, const std::string& term) {
  if (Fits(term)) doc.add_term(term);
}

bool IsJoiner(char c) { return c == '.' || c == '@' || c == '_' || c == '-' || c == '\''; }

// Indexes one field's words from `*pos` on and returns how many it had.
size_t AddField(Xapian::Document& doc, std::string_view text, const TextAnalyzer& analyzer,
                const event::IdentityNormalizer& normalizer, Xapian::termpos* pos, Xapian::termpos* bigram_pos) {
  const std::vector<AnalyzedWord> words = analyzer.Words(text);
  for (const AnalyzedWord& w : words) {
    const Xapian::termpos at = (*pos)++;
    AddPosting(doc, WordTerm(w.stripped), at);
    if (w.exact != w.stripped) AddTerm(doc, ExactTerm(w.exact));
    for (const std::string& part : WordParts(w.stripped)) AddTerm(doc, WordTerm(part));
  }
  for (const auto& run : CjkRuns(words)) {
    for (size_t i = 0; i < run.size(); ++i) {
      AddTerm(doc, CharacterTerm(run[i]));
      if (i + 1 < run.size()) AddPosting(doc, BigramTerm(run[i] + run[i + 1]), (*bigram_pos)++);
    }
    *bigram_pos += kRunGap;
  }
  for (const FoundIdentifier& id : FindIdentifiers(text, normalizer)) {
    switch (id.kind) {
      case FoundIdentifier::kEmail: AddTerm(doc, EmailTerm(id.value)); break;
      case FoundIdentifier::kPhone: AddTerm(doc, PhoneTerm(id.value)); break;
      case FoundIdentifier::kHandle: AddTerm(doc, HandleTerm(id.value)); break;
    }
  }
  *pos += kFieldGap;
  return words.size();
}

}  // namespace

std::string WordTerm(std::string_view stripped) { return "W" + std::string(stripped); }
std::string ExactTerm(std::string_view exact) { return "X" + std::string(exact); }
std::string BigramTerm(std::string_view two_characters) { return "B" + std::string(two_characters); }
std::string CharacterTerm(std::string_view character) { return "U" + std::string(character); }
std::string EmailTerm(std::string_view email) { return "E" + std::string(email); }
std::string PhoneTerm(std::string_view e164) { return "P" + std::string(e164); }
std::string HandleTerm(std::string_view handle) { return "H" + std::string(handle); }
std::string EventIdTerm(std::string_view event_id) { return "Q" + base::HexEncode(event_id); }
std::string IdentityTerm(uint64_t identity_id) { return "I" + std::to_string(identity_id); }
std::string ChannelTerm(int channel) { return "C" + std::to_string(channel); }
std::string DirectionTerm(int direction) { return "D" + std::to_string(direction); }

std::string TenantTerm(std::string_view tenant) { return "T" + std::string(event::TenantOrDefault(tenant)); }

std::string SortKey(int64_t occurred_at_us, std::string_view event_id) {
  std::string key;
  base::PutOrderedInt64(&key, occurred_at_us);
  key.append(event_id);
  return key;
}

std::vector<std::string> WordParts(std::string_view stripped) {
  std::set<std::string> parts;
  // Split at '.' and '@' (addresses, domains), then each piece also at '_', '-' and apostrophes.
  auto split = [](std::string_view s, auto is_cut, auto&& emit) {
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || is_cut(s[i])) {
        if (i > start) emit(s.substr(start, i - start));
        start = i + 1;
      }
    }
  };
  if (stripped.find_first_of(".@_-'") == std::string_view::npos) return {};
  split(stripped, [](char c) { return c == '.' || c == '@'; }, [&](std::string_view piece) {
    parts.emplace(piece);
    split(piece, IsJoiner, [&](std::string_view atom) { parts.emplace(atom); });
  });
  parts.erase(std::string(stripped));
  return {parts.begin(), parts.end()};
}

std::vector<std::vector<std::string>> CjkRuns(const std::vector<AnalyzedWord>& words) {
  std::vector<std::vector<std::string>> runs;
  const AnalyzedWord* previous = nullptr;
  for (const AnalyzedWord& w : words) {
    if (!w.cjk) {
      previous = nullptr;
      continue;
    }
    if (previous == nullptr || previous->end != w.begin) runs.emplace_back();
    for (std::string& c : Characters(w.exact)) runs.back().push_back(std::move(c));
    previous = &w;
  }
  return runs;
}

MessageDocument BuildMessageDocument(const IndexedMessage& message, const TextAnalyzer& analyzer,
                                     const event::IdentityNormalizer& normalizer) {
  MessageDocument out;
  Xapian::Document& doc = out.document;
  Xapian::termpos pos = 1;
  Xapian::termpos bigram_pos = kBigramBase;
  out.words += AddField(doc, message.subject, analyzer, normalizer, &pos, &bigram_pos);
  out.words += AddField(doc, message.text, analyzer, normalizer, &pos, &bigram_pos);
  doc.add_boolean_term(EventIdTerm(message.event_id));
  doc.add_boolean_term(IdentityTerm(message.identity_id));
  doc.add_boolean_term(ChannelTerm(message.channel));
  doc.add_boolean_term(DirectionTerm(message.direction));
  doc.add_boolean_term(TenantTerm(message.tenant));
  doc.add_value(kSortSlot, SortKey(message.occurred_at_us, message.event_id));
  doc.set_data(message.event_id);
  return out;
}

}  // namespace omnihub::unifier::search
