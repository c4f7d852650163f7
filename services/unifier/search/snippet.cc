#include "services/unifier/search/snippet.h"

#include <algorithm>

namespace omnihub::unifier::search {
namespace {

constexpr char kEllipsis[] = "\u2026";

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

size_t BackToCharStart(std::string_view text, size_t at) {
  while (at > 0 && at < text.size() && IsContinuation(text[at])) --at;
  return at;
}

}  // namespace

std::string MakeSnippet(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches, size_t max_bytes) {
  // Some context before the first match, starting after a space when there is one near.
  size_t start = 0;
  if (!matches.empty() && matches[0].first > max_bytes / 4) {
    const size_t lead = matches[0].first - max_bytes / 4;
    start = BackToCharStart(text, lead);
    const size_t space = text.substr(0, matches[0].first).find_first_of(" \n", start);
    if (space != std::string_view::npos && space < matches[0].first) start = space + 1;
  }
  size_t end = std::min(text.size(), start + max_bytes);
  // Never cut a marked word in two.
  for (const auto& [b, e] : matches) {
    if (b < end && e > end) end = std::min(text.size(), e);
  }
  if (end < text.size()) {
    end = BackToCharStart(text, end);
    const size_t space = text.substr(0, end).find_last_of(' ');
    if (space != std::string_view::npos && space > start && end - space < 24) end = space;
  }

  std::string out;
  if (start > 0) out += kEllipsis;
  auto next = matches.begin();
  while (next != matches.end() && next->second <= start) ++next;
  bool open = false;
  bool after_space = false;
  for (size_t i = start; i < end; ++i) {
    if (!open && next != matches.end() && i >= next->first && i < next->second) {
      out += "[[";
      open = true;
    }
    if (IsSpace(text[i])) {
      if (!after_space) out += ' ';
      after_space = true;
    } else {
      out += text[i];
      after_space = false;
    }
    if (open && i + 1 >= next->second) {
      out += "]]";
      open = false;
      ++next;
    }
  }
  if (open) out += "]]";
  if (end < text.size()) out += kEllipsis;
  return out;
}

}  // namespace omnihub::unifier::search
