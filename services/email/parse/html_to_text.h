// HTML mail bodies as readable plain text, using a real HTML5 parser (gumbo) so that broken
// markup, entities and implied end tags come out the way a browser would show them:
//   - block elements (div, p, headings, tables rows, ...) start new lines; paragraphs, headings,
//     tables and blockquotes are set apart by a blank line (Outlook's <p class=MsoNormal> lines
//     count as plain lines, or every Outlook mail would come out double-spaced);
//   - <br> breaks a line; list items start with "- " (indented two spaces per nesting level);
//   - <blockquote> content is prefixed with "> " per level, the plain-text convention the quote
//     trimmer recognizes;
//   - links keep their text only; images, scripts, styles, <head> and other non-text content are
//     dropped; entities are decoded by the parser;
//   - whitespace runs (including no-break spaces) collapse to one space except inside <pre>; lines
//     are trimmed at the end and at most one blank line separates blocks.
// gumbo's time and memory grow quadratically with element nesting depth (10,000 nested <div>s
// take seconds and most of a gigabyte) and with unclosed formatting elements re-opened in every
// later block (100 <font>s before 10,000 paragraphs: 390 MB from 81 KB). A linear pre-scan
// estimates both; documents nested deeper than kMaxHtmlNesting, estimated to build more than
// kMaxHtmlNodes elements, or larger than kMaxHtmlBytes get a simpler linear conversion instead
// (tags stripped, common entities decoded, block tags still break lines), reported through
// *simplified.
//
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace omnihub::email {

inline constexpr int kMaxHtmlNesting = 512;
inline constexpr size_t kMaxHtmlNodes = 250000;
inline constexpr size_t kMaxHtmlBytes = size_t{8} << 20;

// Readable text of `html` (a UTF-8 document or fragment), without leading or trailing blank
// lines, lines separated by "\n". *simplified (if given) is set to whether the fallback
// conversion was used.
std::string HtmlToText(std::string_view html, bool* simplified = nullptr);

// The charset an HTML document declares in a <meta charset=...> or <meta http-equiv
// content="text/html; charset=..."> tag within its first 2048 bytes, lower-cased; "" if none.
// Used for HTML parts whose MIME header declares no charset.
std::string SniffHtmlCharset(std::string_view html);

}  // namespace omnihub::email
