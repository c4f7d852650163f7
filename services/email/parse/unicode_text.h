// Charset decoding and Unicode cleanup for mail text: turns the bytes of a MIME part (in
// whatever charset it declares, or none) into clean NFC UTF-8. Mail in the wild mislabels its
// charset often enough that every step here prefers a readable result plus a flag over failing:
// invalid bytes become U+FFFD, undeclared 8-bit text is read as UTF-8 when it is valid UTF-8 and
// as windows-1252 otherwise. docs/email-parsing.md ("Charsets") lists the rules.
//
// Thread-safety: pure functions (each call opens its own iconv descriptor; the ICU normalizer
// instance is immutable); safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnihub::email {

// UTF-8 text decoded from a part's bytes, before cleanup (see CleanBodyText).
struct DecodedText {
  std::string utf8;  // always valid UTF-8
  // No usable charset was declared (none, "us-ascii" with 8-bit bytes, "unknown-8bit", or a name
  // iconv does not know) and the bytes were not valid UTF-8, so they were read as windows-1252.
  bool undeclared_fallback = false;
  // The declared charset named no converter iconv knows (the text was then handled as undeclared).
  bool unknown_charset = false;
  // Some bytes were invalid in the charset used and were replaced by U+FFFD.
  bool replaced_invalid = false;
};

// Decodes `bytes` declared as `charset` (a MIME charset name, case-insensitive; empty when the
// part declared none). Never fails. ISO-8859-1 and US-ASCII are read as windows-1252, the superset
// every mail client actually produces under those names.
DecodedText DecodeToUtf8(std::string_view bytes, std::string_view charset);

// Converts `bytes` from `charset` with iconv, replacing invalid or truncated sequences with U+FFFD
// (and setting *replaced_invalid if given). nullopt when no converter exists for the name (names
// holding characters outside [A-Za-z0-9._:-], such as iconv's "//IGNORE" suffixes, count as
// unknown). Common MIME aliases iconv lacks (iso-8859-8-i, ks_c_5601-1987, ...) are mapped first.
std::optional<std::string> ConvertToUtf8(std::string_view bytes, std::string_view charset,
                                         bool* replaced_invalid = nullptr);

// Whether raw 8-bit header bytes that are not UTF-8 are read in `charset`, the charset their
// message declares for its text (clients in China, Russia and Japan write headers in the body's
// charset without RFC 2047 encoding). True for the ASCII-compatible charsets iconv knows, except
// UTF-8 itself (bytes invalid as UTF-8 under a UTF-8 message say nothing about their charset) and
// the names that declare nothing ("us-ascii", "unknown-8bit", ...).
bool CanReadRawHeaderBytesIn(std::string_view charset);

// `utf8` in Unicode Normalization Form C. Invalid UTF-8 sequences become U+FFFD.
std::string NormalizeNfc(std::string_view utf8);

// Body-text cleanup: CRLF and lone CR become LF, a leading byte-order mark and control characters
// other than tab and LF are dropped, the result is NFC. Input must be valid UTF-8 (DecodeToUtf8).
std::string CleanBodyText(std::string_view utf8);

// Header-text cleanup for a one-line value (subject, display name, file name): every run of
// whitespace or control characters becomes one space, the ends are trimmed, the result is NFC.
// Invalid UTF-8 sequences become U+FFFD.
std::string CleanHeaderText(std::string_view utf8);

// Unwraps RFC 3676 format=flowed text (LF line ends): a line ending in a space continues on the
// next line of the same quote depth ("> " prefixes), a leading space is stuffing and is removed,
// "-- " (the signature separator) never flows. With `delsp` (delsp=yes) the soft-break space is
// removed too. Trailing line breaks are dropped.
std::string UnwrapFormatFlowed(std::string_view text, bool delsp);

// Heuristic for "are these bytes human-readable text rather than binary data": no NUL, and at
// most 1 byte in 20 a control character other than tab, CR, LF or form feed. Used only where
// nothing else (header fields, a MIME structure) says the bytes are mail.
bool LooksLikeText(std::string_view bytes);

}  // namespace omnihub::email
