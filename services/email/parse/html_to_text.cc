#include "services/email/parse/html_to_text.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/base/text.h"
#include "services/email/parse/html_fallback.h"
#include "services/email/parse/text_builder.h"

namespace omnihub::email {
namespace {

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
    return cls == nullptr || base::LowerAscii(cls->value).find("msonormal") == std::string::npos;
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

}  // namespace

std::string HtmlToText(std::string_view html, bool* simplified) {
  bool simple = html.size() > kMaxHtmlBytes;
  if (!simple) {
    const HtmlCost cost = EstimateHtmlCost(html);
    simple = cost.depth > kMaxHtmlNesting || cost.nodes > kMaxHtmlNodes;
  }
  if (simplified != nullptr) *simplified = simple;
  return simple ? StripHtmlTags(html) : ConvertWithGumbo(html);
}

std::string SniffHtmlCharset(std::string_view html) {
  const std::string head = base::LowerAscii(html.substr(0, 2048));
  for (size_t meta = head.find("<meta"); meta != std::string::npos; meta = head.find("<meta", meta + 5)) {
    const size_t end = head.find('>', meta);
    const std::string_view tag =
        std::string_view(head).substr(meta, end == std::string::npos ? std::string::npos : end - meta);
    size_t at = tag.find("charset");
    if (at == std::string_view::npos) continue;
    at += 7;
    while (at < tag.size() && (tag[at] == ' ' || tag[at] == '=' || tag[at] == '"' || tag[at] == '\'')) ++at;
    size_t stop = at;
    while (stop < tag.size() && (base::IsAsciiAlpha(tag[stop]) || base::IsAsciiDigit(tag[stop]) || tag[stop] == '-' ||
                                 tag[stop] == '_' || tag[stop] == '.' || tag[stop] == ':')) {
      ++stop;
    }
    if (stop > at) return std::string(tag.substr(at, stop - at));
  }
  return "";
}

}  // namespace omnihub::email
