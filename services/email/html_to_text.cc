#include "services/email/html_to_text.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/text.h"

namespace omnihub::email {
namespace {

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

bool IsOneOf(GumboTag tag, std::initializer_list<GumboTag> tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

bool IsSkipped(GumboTag tag) {
  return IsOneOf(tag, {GUMBO_TAG_HEAD, GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_TITLE, GUMBO_TAG_TEMPLATE,
                       GUMBO_TAG_NOSCRIPT, GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_IFRAME, GUMBO_TAG_APPLET,
                       GUMBO_TAG_SVG, GUMBO_TAG_CANVAS, GUMBO_TAG_AUDIO, GUMBO_TAG_VIDEO, GUMBO_TAG_SELECT});
}

bool IsParagraph(const GumboElement& element) {
  if (element.tag == GUMBO_TAG_P) {
    // Outlook writes every line as <p class=MsoNormal>; those are lines, not paragraphs.
    const GumboAttribute* cls = gumbo_get_attribute(&element.attributes, "class");
    return cls == nullptr || LowerAscii(cls->value).find("msonormal") == std::string::npos;
  }
  return IsOneOf(element.tag, {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6,
                               GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE, GUMBO_TAG_TABLE, GUMBO_TAG_HR, GUMBO_TAG_UL,
                               GUMBO_TAG_OL, GUMBO_TAG_DL, GUMBO_TAG_FIGURE});
}

bool IsBlock(GumboTag tag) {
  return IsOneOf(tag, {GUMBO_TAG_P, GUMBO_TAG_DIV, GUMBO_TAG_LI, GUMBO_TAG_TR, GUMBO_TAG_DT, GUMBO_TAG_DD,
                       GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE, GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER, GUMBO_TAG_NAV,
                       GUMBO_TAG_ASIDE, GUMBO_TAG_MAIN, GUMBO_TAG_FORM, GUMBO_TAG_FIELDSET, GUMBO_TAG_CENTER,
                       GUMBO_TAG_CAPTION, GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY, GUMBO_TAG_FIGCAPTION,
                       GUMBO_TAG_ADDRESS, GUMBO_TAG_LEGEND, GUMBO_TAG_BODY, GUMBO_TAG_HTML});
}

// What closing an element does; pushed with it so the walk needs no recursion (and so no stack
// depth proportional to the document's nesting).
struct Frame {
  const GumboNode* node;
  size_t next_child = 0;
  bool entered = false;
};

void OpenElement(const GumboElement& element, TextBuilder* out, int* list_depth, int* pre_depth) {
  const bool nested_list = (element.tag == GUMBO_TAG_UL || element.tag == GUMBO_TAG_OL) && *list_depth > 0;
  if (IsParagraph(element) && !nested_list) {
    out->Break(2);
  } else if (IsBlock(element.tag) || nested_list) {
    out->Break(1);
  }
  switch (element.tag) {
    case GUMBO_TAG_BR:
      out->LineBreak();
      break;
    case GUMBO_TAG_BLOCKQUOTE:
      ++out->quote_depth;
      break;
    case GUMBO_TAG_PRE:
      ++*pre_depth;
      break;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
      ++*list_depth;
      break;
    case GUMBO_TAG_LI:
      out->Marker(*list_depth);
      break;
    default:
      break;
  }
}

void CloseElement(const GumboElement& element, TextBuilder* out, int* list_depth, int* pre_depth) {
  switch (element.tag) {
    case GUMBO_TAG_BLOCKQUOTE:
      --out->quote_depth;
      break;
    case GUMBO_TAG_PRE:
      --*pre_depth;
      break;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
      --*list_depth;
      break;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      out->Space();
      break;
    default:
      break;
  }
  // A nested list ends its parent item's line only; a top-level list is a paragraph.
  const bool nested_list = (element.tag == GUMBO_TAG_UL || element.tag == GUMBO_TAG_OL) && *list_depth > 0;
  if (IsParagraph(element) && !nested_list) {
    out->Break(2);
  } else if (IsBlock(element.tag) || nested_list) {
    out->Break(1);
  }
}

std::string ConvertWithGumbo(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are the norm in mail; recording them only costs memory
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  TextBuilder out;
  int list_depth = 0;
  int pre_depth = 0;
  std::vector<Frame> stack{{output->root}};
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const GumboNode* node = frame.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA || node->type == GUMBO_NODE_WHITESPACE) {
      if (pre_depth > 0) {
        out.PreText(node->v.text.text);
      } else {
        out.Text(node->v.text.text);
      }
      stack.pop_back();
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
        node->type != GUMBO_NODE_DOCUMENT) {
      stack.pop_back();  // comments
      continue;
    }
    const bool is_element = node->type != GUMBO_NODE_DOCUMENT;
    const GumboVector& children = is_element ? node->v.element.children : node->v.document.children;
    if (!frame.entered) {
      frame.entered = true;
      if (is_element) {
        if (IsSkipped(node->v.element.tag)) {
          stack.pop_back();
          continue;
        }
        OpenElement(node->v.element, &out, &list_depth, &pre_depth);
      }
    }
    if (frame.next_child < children.length) {
      const auto* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
      stack.push_back(Frame{child});  // invalidates `frame`
      continue;
    }
    if (is_element) CloseElement(node->v.element, &out, &list_depth, &pre_depth);
    stack.pop_back();
  }
  gumbo_destroy_output(&options, output);
  return out.Finish();
}

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
    if (IsAsciiDigit(c)) {
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
  while (j < s.size() && (IsAsciiAlpha(s[j]) || IsAsciiDigit(s[j]) || s[j] == '-') && name.size() < 16) {
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

// What gumbo would build, estimated in one linear pass over the tags. Errs high for sloppy
// markup, which only costs the nicer conversion.
struct HtmlCost {
  // Element nesting: open tags minus end tags, ignoring elements that cannot nest.
  int depth = 0;
  // Elements, counting the copies of unclosed formatting elements (<b>, <font>, ...) that the
  // HTML5 tree builder re-opens for every later tag.
  size_t nodes = 0;
};

HtmlCost EstimateCost(std::string_view html) {
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
std::string StripTags(std::string_view html) {
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

}  // namespace

std::string HtmlToText(std::string_view html, bool* simplified) {
  bool simple = html.size() > kMaxHtmlBytes;
  if (!simple) {
    const HtmlCost cost = EstimateCost(html);
    simple = cost.depth > kMaxHtmlNesting || cost.nodes > kMaxHtmlNodes;
  }
  if (simplified != nullptr) *simplified = simple;
  return simple ? StripTags(html) : ConvertWithGumbo(html);
}

std::string SniffHtmlCharset(std::string_view html) {
  const std::string head = LowerAscii(html.substr(0, 2048));
  for (size_t meta = head.find("<meta"); meta != std::string::npos; meta = head.find("<meta", meta + 5)) {
    const size_t end = head.find('>', meta);
    const std::string_view tag =
        std::string_view(head).substr(meta, end == std::string::npos ? std::string::npos : end - meta);
    size_t at = tag.find("charset");
    if (at == std::string_view::npos) continue;
    at += 7;
    while (at < tag.size() && (tag[at] == ' ' || tag[at] == '=' || tag[at] == '"' || tag[at] == '\'')) ++at;
    size_t stop = at;
    while (stop < tag.size() && (IsAsciiAlpha(tag[stop]) || IsAsciiDigit(tag[stop]) || tag[stop] == '-' ||
                                 tag[stop] == '_' || tag[stop] == '.' || tag[stop] == ':')) {
      ++stop;
    }
    if (stop > at) return std::string(tag.substr(at, stop - at));
  }
  return "";
}

}  // namespace omnihub::email
