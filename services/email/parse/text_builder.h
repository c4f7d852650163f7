// TextBuilder: the plain-text writer both HTML conversions (html_to_text.h, html_fallback.h)
// share: text accumulates with deferred line breaks and spaces, so nested blocks do not stack
// up blank lines and whitespace between inline elements collapses to one space; quoted
// blocks are prefixed "> " per level and list items get "- " markers.
//
// Thread-safety: a plain value; one builder per conversion.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace omnihub::email {

// Accumulates output text with deferred line breaks and spaces, so that nested blocks do not
// stack up blank lines and whitespace between inline elements collapses to one space.
class TextBuilder {
 public:
  // Inline text: whitespace runs become one (deferred) space.
  void Text(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
      const size_t space = SpaceLength(s, i);
      if (space > 0) {
        // A block holding only no-break spaces (Outlook's empty line, <p>&nbsp;</p>) is a
        // visible blank line; ordinary whitespace alone renders as nothing.
        if (space == 2) OccupyLine();
        pending_space_ = true;
        i += space;
        continue;
      }
      size_t j = i;
      while (j < s.size() && SpaceLength(s, j) == 0) ++j;
      Emit(s.substr(i, j - i));
      i = j;
    }
  }
  // <pre> text: kept verbatim, newlines included.
  void PreText(std::string_view s) {
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || s[i] == '\n') {
        std::string_view line = s.substr(start, i - start);
        if (!line.empty()) {
          pending_space_ = false;
          Emit(line);
        }
        if (i < s.size()) HardNewline();
        start = i + 1;
      }
    }
  }
  void Space() { pending_space_ = true; }
  // Ensures `n` line breaks (1: new line, 2: blank line) before the next text.
  void Break(int n) {
    if (after_marker_) return;  // "- " then a block: keep the item's text on the marker's line
    pending_breaks_ = std::max(pending_breaks_, n);
  }
  // <br>: ends the current line; a second one in a row makes a blank line.
  void LineBreak() {
    if (out_.empty()) return;
    pending_breaks_ = std::min(2, std::max(pending_breaks_, trailing_newlines_) + 1);
  }
  // A list-item marker on a line of its own, then the item's text after one space.
  void Marker(int list_depth) {
    Break(1);
    Emit(std::string(static_cast<size_t>(std::max(0, list_depth - 1)) * 2, ' ') + "-");
    pending_space_ = true;
    after_marker_ = true;
  }
  int quote_depth = 0;

  // The text with trailing spaces removed from every line and no blank lines at either end.
  std::string Finish() const {
    std::string result;
    size_t start = 0;
    while (start <= out_.size()) {
      size_t end = out_.find('\n', start);
      if (end == std::string::npos) end = out_.size();
      std::string_view line(out_.data() + start, end - start);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      result.append(line);
      result += '\n';
      start = end + 1;
    }
    while (!result.empty() && result.back() == '\n') result.pop_back();
    return result;
  }

 private:
  // Bytes of whitespace at s[i]: ASCII whitespace, or U+00A0 (&nbsp;, which HTML mail uses for
  // layout rather than meaning).
  static size_t SpaceLength(std::string_view s, size_t i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') return 1;
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return 2;
    return 0;
  }
  // Makes the current line count as written (so the next break ends it) without writing.
  void OccupyLine() {
    if (!at_line_start_ && pending_breaks_ == 0) return;  // mid-line: an ordinary space
    FlushBreaks();
    if (!out_.empty()) trailing_newlines_ = 0;
  }
  void HardNewline() {
    FlushBreaks();
    out_ += '\n';
    ++trailing_newlines_;
    at_line_start_ = true;
  }
  void FlushBreaks() {
    if (!out_.empty()) {
      for (; trailing_newlines_ < pending_breaks_; ++trailing_newlines_) out_ += '\n';
      if (pending_breaks_ > 0) at_line_start_ = true;
    }
    pending_breaks_ = 0;
  }
  void Emit(std::string_view s) {
    FlushBreaks();
    if (out_.empty() || at_line_start_) {
      for (int q = 0; q < quote_depth; ++q) out_ += "> ";
    } else if (pending_space_) {
      out_ += ' ';
    }
    out_.append(s);
    pending_space_ = false;
    at_line_start_ = false;
    after_marker_ = false;
    trailing_newlines_ = 0;
  }

  std::string out_;
  int pending_breaks_ = 0;
  int trailing_newlines_ = 0;
  bool pending_space_ = false;
  bool at_line_start_ = true;
  bool after_marker_ = false;
};

}  // namespace omnihub::email
