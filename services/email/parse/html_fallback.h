// The linear side of HTML-to-text conversion (html_to_text.h): a one-pass estimate of what
// an HTML5 tree builder would build for a document, so that documents gumbo would take
// quadratic time or memory on are recognized before they are parsed, and the simple
// conversion those documents get instead (tags stripped, common entities decoded, block tags
// as line breaks, script and style content dropped). Both are linear in the input.
//
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace omnihub::email {

// What gumbo would build, estimated in one linear pass over the tags. Errs high for sloppy
// markup, which only costs the nicer conversion.
struct HtmlCost {
  // Element nesting: open tags minus end tags, ignoring elements that cannot nest.
  int depth = 0;
  // Elements, counting the copies of unclosed formatting elements (<b>, <font>, ...) that the
  // HTML5 tree builder re-opens for every later tag.
  size_t nodes = 0;
};

HtmlCost EstimateHtmlCost(std::string_view html);

// Text outside tags, entities decoded, block tags as line breaks, script and style content
// dropped; lines trimmed, at most one blank line between blocks.
std::string StripHtmlTags(std::string_view html);

}  // namespace omnihub::email
