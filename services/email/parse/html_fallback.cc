#include "services/email/parse/html_fallback.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "common/base/text.h"
#include "services/email/parse/text_builder.h"

namespace omnihub::email {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Appends the character an entity name (between '&' and ';') stands for; false if it is not one
// of the forms the fallback knows (numeric, and the handful that matter in text).
bool DecodeEntityName(std::string_view name, std::string* out) {
  static constexpr std::array<std::pair<std::string_view, uint32_t>, 6> kNamed = {
      {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}}};
  for (const auto& [entity, cp] : kNamed) {
    if (name == entity) {
      AppendUtf8(cp, out);
      return true;
    }
  }
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  uint32_t cp = 0;
  for (char c : digits) {
    uint32_t d;
    if (base::IsAsciiDigit(c)) {
      d = static_cast<uint32_t>(c - '0');
    } else if (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      d = static_cast<uint32_t>((c | 0x20) - 'a' + 10);
    } else {
      return false;
    }
    cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + d, 0x110000);
  }
  AppendUtf8(cp, out);
  return true;
}

// Decodes the entity at s[i] ('&') into *out and returns its length, or 0 if it is none.
size_t DecodeEntity(std::string_view s, size_t i, std::string* out) {
  const size_t semi = s.substr(i, 12).find(';');  // bounded, so "&&&&..." stays linear
  if (semi == std::string_view::npos || semi < 2) return 0;
  return DecodeEntityName(s.substr(i + 1, semi - 1), out) ? semi + 1 : 0;
}

// Lower-case tag name of the tag starting at s[i] ('<'), "/name" for end tags, "" for anything
// else (comments, doctype, a bare '<').
std::string TagName(std::string_view s, size_t i) {
  size_t j = i + 1;
  std::string name;
  if (j < s.size() && s[j] == '/') name += s[j++];
  while (j < s.size() && (base::IsAsciiAlpha(s[j]) || base::IsAsciiDigit(s[j]) || s[j] == '-') && name.size() < 16) {
    name += static_cast<char>(s[j++] | 0x20);
  }
  return (name.empty() || name == "/") ? "" : name;
}

bool IsBlockTagName(std::string_view name) {
  static constexpr std::array<std::string_view, 20> kNames = {
      "p",  "div", "br", "li", "tr", "table", "blockquote", "pre", "h1", "h2",
      "h3", "h4",  "h5", "h6", "ul", "ol",    "hr",         "dt",  "dd", "section"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// Elements that add no nesting: void elements, and those whose end tag is implied by the next
// sibling (a run of unclosed <p> or <li> stays flat).
bool AddsNoNesting(std::string_view name) {
  static constexpr std::array<std::string_view, 32> kNames = {
      "area", "base",  "br",    "col",   "embed", "hr",    "img",    "input",   "link",  "meta", "param",
      "source", "track", "wbr", "p",     "li",    "dt",    "dd",     "option",  "optgroup", "tr", "td",
      "th",   "tbody", "thead", "tfoot", "colgroup", "rb", "rt",     "rp",      "caption", "basefont"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

bool IsFormattingTagName(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kNames = {
      "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

}  // namespace

HtmlCost EstimateHtmlCost(std::string_view html) {
  HtmlCost cost;
  int depth = 0;
  size_t open_formatting = 0;
  // The first '>' at or after the current tag, cached so that the scan stays linear.
  size_t next_close = html.find('>');
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    const std::string name = TagName(html, i);
    if (name.empty()) continue;
    cost.nodes += 1 + open_formatting;
    if (name[0] == '/') {
      const std::string_view closed = std::string_view(name).substr(1);
      if (IsFormattingTagName(closed) && open_formatting > 0) --open_formatting;
      if (!AddsNoNesting(closed)) depth = std::max(0, depth - 1);
      continue;
    }
    if (AddsNoNesting(name)) continue;
    if (next_close < i) next_close = html.find('>', i);
    if (next_close != std::string_view::npos && html[next_close - 1] == '/') continue;  // <x/>
    if (IsFormattingTagName(name)) ++open_formatting;
    cost.depth = std::max(cost.depth, ++depth);
  }
  return cost;
}

// The linear fallback: text outside tags, entities decoded, block tags as line breaks, script
// and style content dropped.
std::string StripHtmlTags(std::string_view html) {
  TextBuilder out;
  std::string text;
  size_t i = 0;
  const auto flush = [&] {
    out.Text(text);
    text.clear();
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      const size_t n = DecodeEntity(html, i, &text);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    if (c != '<') {
      text += c;
      ++i;
      continue;
    }
    const std::string name = TagName(html, i);
    const bool markup = !name.empty() || (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?'));
    if (!markup) {
      text += c;  // a literal '<' in sloppy text
      ++i;
      continue;
    }
    const size_t close = html.find('>', i);
    if (close == std::string_view::npos) break;  // an unterminated tag ends the document
    flush();
    i = close + 1;
    if (name == "script" || name == "style" || name == "head" || name == "title") {
      const std::string end = "</" + name;
      size_t at = i;
      for (; at < html.size(); ++at) {
        if (html[at] == '<' && TagName(html, at) == end.substr(1)) break;
      }
      i = at;
    } else if (!name.empty() &&
               IsBlockTagName(name[0] == '/' ? std::string_view(name).substr(1) : std::string_view(name))) {
      if (name == "br") {
        out.LineBreak();
      } else {
        out.Break(1);
      }
    }
  }
  flush();
  return out.Finish();
}

}  // namespace omnihub::email
