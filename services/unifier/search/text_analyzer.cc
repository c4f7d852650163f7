#include "services/unifier/search/text_analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdlib>

namespace omnihub::unifier::search {
namespace {

constexpr UChar32 kTatweel = 0x0640;
constexpr UChar32 kGershayim = 0x05F4;
constexpr UChar32 kApostrophe = 0x0027;

// The ways a Hebrew acronym's gershayim is typed (צה"ל, צה״ל, צה”ל): one term for all.
bool IsGershayimSpelling(UChar32 c) { return c == 0x0022 || c == kGershayim || c == 0x201C || c == 0x201D; }
// The typographic apostrophe of "don’t" is the ASCII one of "don't".
bool IsApostropheSpelling(UChar32 c) { return c == 0x2019 || c == 0x02BC; }

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// The ICU normalizers are process-wide singletons owned by ICU; a failure to load them means
// the ICU data is missing, which no search can work without.
const icu::Normalizer2& Normalizer(const icu::Normalizer2* (*get)(UErrorCode&)) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(status);
  if (U_FAILURE(status) || n == nullptr) std::abort();
  return *n;
}

FoldedWord Fold(const icu::UnicodeString& word, bool strip_marks) {
  static const icu::Normalizer2& nfkc_casefold = Normalizer(icu::Normalizer2::getNFKCCasefoldInstance);
  static const icu::Normalizer2& nfkd = Normalizer(icu::Normalizer2::getNFKDInstance);
  static const icu::Normalizer2& nfc = Normalizer(icu::Normalizer2::getNFCInstance);

  icu::UnicodeString unified;
  for (int32_t i = 0; i < word.length();) {
    const UChar32 c = word.char32At(i);
    i += U16_LENGTH(c);
    if (c == kTatweel) continue;  // only stretches the line: never part of the word
    unified.append(IsGershayimSpelling(c) ? kGershayim : IsApostropheSpelling(c) ? kApostrophe : c);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString exact = nfkc_casefold.normalize(unified, status);
  if (U_FAILURE(status)) return {};
  FoldedWord out{ToUtf8(exact), {}};
  if (!strip_marks) {
    out.stripped = out.exact;
    return out;
  }
  const icu::UnicodeString decomposed = nfkd.normalize(exact, status);
  if (U_FAILURE(status)) return {};
  icu::UnicodeString bare;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) bare.append(c);
  }
  const icu::UnicodeString composed = nfc.normalize(bare, status);
  if (U_FAILURE(status)) return {};
  out.stripped = ToUtf8(composed);
  return out;
}

}  // namespace

TextAnalyzer::TextAnalyzer() {
  UErrorCode status = U_ZERO_ERROR;
  prototype_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || prototype_ == nullptr) std::abort();  // ICU data missing: see Normalizer()
}

TextAnalyzer::~TextAnalyzer() = default;

std::vector<AnalyzedWord> TextAnalyzer::Words(std::string_view text) const {
  std::vector<AnalyzedWord> words;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::unique_ptr<icu::BreakIterator> it(prototype_->clone());
  it->setText(u);
  // UTF-16 offsets -> UTF-8 byte offsets, walked along with the iterator (both only grow).
  int32_t u16_at = 0;
  size_t byte_at = 0;
  auto to_bytes = [&](int32_t u16) {
    while (u16_at < u16) {
      const UChar32 c = u.char32At(u16_at);
      u16_at += U16_LENGTH(c);
      byte_at += U8_LENGTH(c);
    }
    return byte_at;
  };
  int32_t begin = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; begin = end, end = it->next()) {
    const int32_t status = it->getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols
    AnalyzedWord w;
    w.cjk = status >= UBRK_WORD_KANA && status < UBRK_WORD_IDEO_LIMIT;
    // Marks are stripped for alphabets (accents, niqqud, harakat); in kana they are the
    // dakuten that make a different sound (カ / ガ), so Chinese and Japanese keep them.
    FoldedWord folded = Fold(u.tempSubStringBetween(begin, end), !w.cjk);
    if (folded.exact.empty()) continue;
    w.exact = std::move(folded.exact);
    w.stripped = std::move(folded.stripped);
    w.begin = to_bytes(begin);
    w.end = to_bytes(end);
    words.push_back(std::move(w));
  }
  return words;
}

FoldedWord FoldWord(std::string_view word) {
  return Fold(icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))), true);
}

std::vector<std::string> Characters(std::string_view word) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < word.size()) {
    int32_t next = static_cast<int32_t>(i);
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), next, static_cast<int32_t>(word.size()), c);
    out.emplace_back(word.substr(i, static_cast<size_t>(next) - i));
    i = static_cast<size_t>(next);
  }
  return out;
}

}  // namespace omnihub::unifier::search
