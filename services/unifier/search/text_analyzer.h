// The words of a text as the search index sees them (docs/search.md#tokenization): ICU's word
// break iterator (dictionary segmentation for Chinese and Japanese) finds the words, and each
// word gets two normalized forms, so that a search matches with and without diacritics:
//  - exact: NFKC with case folding (final sigma folds to sigma, full-width letters to ASCII);
//  - stripped: exact without combining marks (Unicode category Mn: accents, niqqud, harakat,
//    the diaeresis of Ukrainian ї) and without the Arabic tatweel.
// The same analyzer runs on the index side and the query side, so both agree on every term.
//
// Thread-safety: Analyze is const and may run on several threads at once (each call clones
// ICU's break iterator).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace omnihub::unifier::search {

struct AnalyzedWord {
  std::string exact;     // case-folded NFKC
  std::string stripped;  // exact without combining marks and tatweel; equal to exact when it has none
  size_t begin = 0;      // byte range of the word in the analyzed text
  size_t end = 0;
  // Chinese or Japanese (ICU's ideographic or kana words): no spaces between words, so the
  // index also keeps the characters' bigrams (index_terms.h).
  bool cjk = false;
};

class TextAnalyzer {
 public:
  TextAnalyzer();
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  // The words of `text` (UTF-8; invalid bytes are replaced), in order. Spaces, punctuation
  // and symbols (emoji) are not words.
  std::vector<AnalyzedWord> Words(std::string_view text) const;

 private:
  std::unique_ptr<icu::BreakIterator> prototype_;  // cloned per call: a BreakIterator is not thread-safe
};

// The exact and stripped forms of one word (what Words() gives each word).
struct FoldedWord {
  std::string exact;
  std::string stripped;
};
FoldedWord FoldWord(std::string_view word);

// The characters (code points, UTF-8) of `word`.
std::vector<std::string> Characters(std::string_view word);

}  // namespace omnihub::unifier::search
