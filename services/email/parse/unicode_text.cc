#include "services/email/parse/unicode_text.h"

#include <iconv.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

#include "common/base/text.h"

namespace omnihub::email {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// MIME charset names that iconv spells differently or lacks, mapped to the converter mail
// clients actually mean. Latin-1 and the Korean/Chinese legacy names map to their supersets, as
// browsers do (WHATWG Encoding Standard): senders label windows-1252 text "iso-8859-1" routinely.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kAliases = {{
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"iso-8859-8-i", "ISO-8859-8"},  // logical-order Hebrew: same bytes, same mapping
    {"iso-8859-8-e", "ISO-8859-8"},
    {"iso-8859-6-i", "ISO-8859-6"},
    {"iso-8859-6-e", "ISO-8859-6"},
    {"ks_c_5601-1987", "CP949"},  // Outlook's name for Korean
    {"euc-kr", "CP949"},
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"x-sjis", "SHIFT_JIS"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-7", "UTF-7"},
}};

// Declarations that say nothing about the bytes beyond "7-bit" or "no idea".
constexpr std::array<std::string_view, 8> kUndeclaredNames = {
    "", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined"};

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Charsets whose all-ASCII byte strings still need decoding (escape sequences, UTF-7 shifts,
// 16/32-bit units): for them the "ASCII is ASCII" shortcut is wrong.
bool IsAsciiIncompatible(std::string_view lower) {
  return lower.starts_with("iso-2022") || lower.starts_with("utf-7") || lower == "unicode-1-1-utf-7" ||
         lower.starts_with("hz") || lower.starts_with("utf-16") || lower.starts_with("utf-32") ||
         lower.starts_with("ucs-2") || lower.starts_with("ucs-4");
}

// `s` with every invalid UTF-8 byte replaced by U+FFFD.
std::string RepairUtf8(std::string_view s, bool* replaced) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = base::Utf8SequenceLength(s, i);
    if (n == 0) {
      out += kReplacement;
      if (replaced != nullptr) *replaced = true;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// The iconv name for a MIME charset name, or "" when the name cannot be one.
std::string IconvName(std::string_view charset) {
  const std::string lower = base::LowerAscii(base::Trim(charset));
  if (lower.empty() || lower.size() > 40) return "";
  for (char c : lower) {
    if (!base::IsAsciiAlpha(c) && !base::IsAsciiDigit(c) && c != '-' && c != '_' && c != '.' && c != ':') return "";
  }
  for (const auto& [alias, name] : kAliases) {
    if (lower == alias) return std::string(name);
  }
  return base::UpperAscii(lower);
}

}  // namespace

std::optional<std::string> ConvertToUtf8(std::string_view bytes, std::string_view charset,
                                         bool* replaced_invalid) {
  const std::string name = IconvName(charset);
  if (name.empty()) return std::nullopt;
  if (name == "UTF-8") return RepairUtf8(bytes, replaced_invalid);

  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;

  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());  // iconv's signature is not const-correct
  size_t in_left = bytes.size();
  size_t used = 0;
  bool flushing = false;
  for (;;) {
    char* out_ptr = out.data() + used;
    size_t out_left = out.size() - used;
    // The final call with no input flushes stateful converters (windows-1255 holds back a base
    // letter until it knows whether a combining point follows).
    const size_t rc = flushing ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left)
                               : iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) {
      if (flushing) break;
      flushing = true;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
    } else if (errno == EILSEQ && in_left > 0) {
      // Invalid byte: replace it and resynchronize on the next one.
      out.resize(std::max(out.size(), used + kReplacement.size() + 16));
      out.replace(used, kReplacement.size(), kReplacement);
      used += kReplacement.size();
      ++in_ptr;
      --in_left;
      if (replaced_invalid != nullptr) *replaced_invalid = true;
    } else {
      // EINVAL: a sequence truncated at the end of the input (or a converter error while
      // flushing): one replacement character stands for it.
      out.resize(used);
      out += kReplacement;
      used = out.size();
      if (replaced_invalid != nullptr) *replaced_invalid = true;
      if (flushing) break;
      in_left = 0;
      flushing = true;
    }
  }
  iconv_close(cd);
  out.resize(used);
  // Not every converter's output is valid UTF-8: glibc's UCS-4 passes 31-bit values through as
  // the old 5- and 6-byte forms.
  if (!base::IsValidUtf8(out)) out = RepairUtf8(out, replaced_invalid);
  return out;
}

DecodedText DecodeToUtf8(std::string_view bytes, std::string_view charset) {
  DecodedText result;
  const std::string lower = base::LowerAscii(base::Trim(charset));
  if (IsAscii(bytes) && !IsAsciiIncompatible(lower)) {
    result.utf8 = std::string(bytes);
    return result;
  }
  bool undeclared = false;
  for (std::string_view name : kUndeclaredNames) {
    if (lower == name) undeclared = true;
  }
  if (!undeclared) {
    std::optional<std::string> converted = ConvertToUtf8(bytes, lower, &result.replaced_invalid);
    if (converted.has_value()) {
      result.utf8 = std::move(*converted);
      return result;
    }
    result.unknown_charset = true;
  }
  if (base::IsValidUtf8(bytes)) {
    result.utf8 = std::string(bytes);
    return result;
  }
  result.undeclared_fallback = true;
  std::optional<std::string> converted = ConvertToUtf8(bytes, "windows-1252", &result.replaced_invalid);
  result.utf8 = converted.has_value() ? std::move(*converted) : RepairUtf8(bytes, &result.replaced_invalid);
  return result;
}

bool CanReadRawHeaderBytesIn(std::string_view charset) {
  const std::string lower = base::LowerAscii(base::Trim(charset));
  for (std::string_view name : kUndeclaredNames) {
    if (lower == name) return false;
  }
  if (IsAsciiIncompatible(lower)) return false;
  const std::string name = IconvName(lower);
  if (name.empty() || name == "UTF-8") return false;
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

std::string NormalizeNfc(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return RepairUtf8(utf8, nullptr);
  // fromUTF8 substitutes U+FFFD for invalid sequences.
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::UnicodeString normalized = nfc->normalize(source, status);
  if (U_FAILURE(status)) return RepairUtf8(utf8, nullptr);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string CleanBodyText(std::string_view utf8) {
  if (utf8.starts_with("\xEF\xBB\xBF")) utf8.remove_prefix(3);
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size(); ++i) {
    const char c = utf8[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < utf8.size() && utf8[i + 1] == '\n') ++i;
    } else if (c == '\n' || c == '\t' || !base::IsControl(c)) {
      out += c;
    }
  }
  return NormalizeNfc(out);
}

std::string CleanHeaderText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  for (char c : utf8) {
    if (base::IsControl(c) || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return NormalizeNfc(RepairUtf8(out, nullptr));
}

std::string UnwrapFormatFlowed(std::string_view text, bool delsp) {
  std::string out;
  bool open = false;  // the previous line was flowed into the current output line
  size_t open_depth = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    std::string_view content = line.substr(depth);
    if (content.starts_with(' ')) content.remove_prefix(1);
    if (open && depth != open_depth) {  // a flowed line may not cross quote depths
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
    if (!open || depth != open_depth) {
      out.append(depth, '>');
      if (depth > 0 && !content.empty()) out += ' ';
    }
    const bool flowed = content.ends_with(' ') && content != "-- ";
    if (flowed && delsp) content.remove_suffix(1);
    out.append(content);
    if (!flowed) out += '\n';
    open = flowed;
    open_depth = depth;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool LooksLikeText(std::string_view bytes) {
  size_t controls = 0;
  for (char c : bytes) {
    if (c == '\0') return false;
    if (base::IsControl(c) && c != '\t' && c != '\r' && c != '\n' && c != '\f') ++controls;
  }
  return controls * 20 <= bytes.size();
}

}  // namespace omnihub::email
