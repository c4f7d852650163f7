#include "common/base/json_writer.h"

#include <charconv>

#include "common/base/text.h"

namespace omnihub::base {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The escape of a byte below 0x20, '"' or '\\' (nlohmann's dump(): short names where JSON has
// them, \u00xx in lower case otherwise).
void AppendEscaped(unsigned char c, std::string* out) {
  switch (c) {
    case '"': out->append("\\\""); return;
    case '\\': out->append("\\\\"); return;
    case '\b': out->append("\\b"); return;
    case '\f': out->append("\\f"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out->append(escaped, sizeof escaped);
    }
  }
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// `s` as a JSON string literal appended to `out` (the escaping of the header comment).
void AppendJsonString(std::string_view s, std::string* out) {
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Copy the longest run of ASCII that needs no escape in one append.
    size_t run = i;
    while (run < s.size()) {
      const auto c = static_cast<unsigned char>(s[run]);
      if (c >= 0x80 || NeedsEscape(c)) break;
      ++run;
    }
    out->append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendEscaped(c, out);
      ++i;
    } else if (size_t length = Utf8SequenceLength(s, i); length != 0) {
      out->append(s.data() + i, length);
      i += length;
    } else {
      out->append(kReplacement);  // one replacement per byte that is not well-formed UTF-8
      ++i;
    }
  }
  out->push_back('"');
}

}  // namespace

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_item_.empty()) return;
  if (has_item_.back()) out_.push_back(',');
  has_item_.back() = true;
}

void JsonWriter::Open(char bracket) {
  Separate();
  out_.push_back(bracket);
  has_item_.push_back(false);
}

void JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  has_item_.pop_back();
}

void JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(key, &out_);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(s, &out_);
}

void JsonWriter::Int(int64_t v) {
  Separate();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out_.append(digits, end);
}

void JsonWriter::UInt(uint64_t v) {
  Separate();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out_.append(digits, end);
}

void JsonWriter::Bool(bool v) {
  Separate();
  out_.append(v ? "true" : "false");
}

void JsonWriter::Null() {
  Separate();
  out_.append("null");
}

void JsonWriter::Raw(std::string_view json) {
  Separate();
  out_.append(json);
}

}  // namespace omnihub::base
