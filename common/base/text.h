// Text helpers shared by the parsers and validators: ASCII character classes and case mapping,
// whitespace trimming, percent-decoding, UTF-8 validation, and quoting user input inside error
// messages. ASCII only on purpose: the rules they serve (RFC 5322 syntax, platform names,
// region codes) are defined over ASCII, and bytes >= 0x80 pass through unchanged.
//
// Thread-safety: pure functions over their arguments; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace omnihub::base {

// ASCII space, tab, CR, LF (the folding whitespace of RFC 5322).
inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// C0 controls and DEL.
inline bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// `s` without leading and trailing ASCII whitespace (IsAsciiSpace); a view into `s`.
std::string_view Trim(std::string_view s);
// `s` with ASCII letters mapped to lower / upper case; other bytes unchanged.
std::string LowerAscii(std::string_view s);
std::string UpperAscii(std::string_view s);
// True when `s` contains a control character (IsControl).
bool HasControl(std::string_view s);

// Comparisons that ignore the case of ASCII letters, without building lower-cased copies
// (the email parser runs them on every line of every message).
inline char LowerAsciiChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
inline bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreAsciiCase(s.substr(0, prefix.size()), prefix);
}
inline bool EndsWithIgnoreAsciiCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreAsciiCase(s.substr(s.size() - suffix.size()), suffix);
}

// Strips `prefix` from the front of `*s`, comparing ASCII case-insensitively; true if it was
// there (`*s` is unchanged otherwise). REQUIRES: `prefix` is lower-case.
bool ConsumePrefix(std::string_view* s, std::string_view prefix);

// RFC 3986 percent-decoding of `in` into `*out` (replaced, not appended); false on a malformed
// escape ('%' not followed by two hex digits), leaving `*out` unspecified. The result may be any
// bytes: callers that need UTF-8 check it.
bool PercentDecode(std::string_view in, std::string* out);
// `s` with '%' written "%25" and ':' written "%3A", so that values joined by ':' into one key
// or argument split back unambiguously (PercentDecode reverses it).
std::string EscapeColons(std::string_view s);

// Length (1-4) of the well-formed UTF-8 sequence starting at s[i], or 0 when the bytes there are
// not one (Unicode Table 3-7: no overlong forms, surrogates or code points above U+10FFFF).
// Requires i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);
// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
// On failure, `*bad_offset` (if given) is the offset of the first offending byte.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);
// `s` cut to `max_bytes` (at a character boundary, with "..." when cut), with control
// characters and invalid bytes shown as \xNN, for quoting user input inside an error message.
std::string QuoteForMessage(std::string_view s, size_t max_bytes = 80);

}  // namespace omnihub::base
