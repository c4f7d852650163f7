// Parses one received mail message (RFC 5322 + MIME) into what a timeline event needs: the
// threading ids, decoded subject and addresses, the date, the body as clean UTF-8 with quoted
// history trimmed, the original HTML, attachments with their bytes, and flags for automatic,
// bulk, forwarded, mis-encoded or damaged mail. GMime 3 does the MIME parsing; this module walks
// the part tree itself (GMime's own body guess is documented as unreliable), decodes text via
// unicode_text, converts HTML via html_to_text and trims via quote_trimmer.
// docs/email-parsing.md describes every rule, flag and warning.
//
// Damaged mail is read as far as it goes: a message GMime can only partly parse still yields what
// could be read, flagged "partial-parse". Only input with nothing usable is an error.
//
// Thread-safety: ParseMimeMessage may be called from any number of threads at once; GMime is
// initialized once, on the first call (std::call_once), and never shut down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::email {

// Values of ParsedEmail::flags (auto_reply.h adds "auto-reply", "bulk" and "bounce").
inline constexpr std::string_view kFlagPartialParse = "partial-parse";  // part of the input was unreadable
inline constexpr std::string_view kFlagForwarded = "forwarded";         // has a message/rfc822 part
inline constexpr std::string_view kFlagUndeclaredCharset = "undeclared-charset";  // 8-bit text read as windows-1252
inline constexpr std::string_view kFlagEncrypted = "encrypted";  // multipart/encrypted: body not readable
inline constexpr std::string_view kFlagAttachmentTooLarge = "attachment-too-large";  // content dropped

struct EmailAttachment {
  std::string filename;    // decoded UTF-8 NFC (RFC 2047/2231 handled), directory part removed; may be empty
  std::string media_type;  // lower-case "application/pdf"
  std::string content;     // decoded bytes; empty when size > MimeOptions::max_attachment_bytes
  uint64_t size = 0;       // decoded size in bytes (also when content was dropped)
  std::string sha256;      // 32 raw bytes of SHA-256 of the decoded bytes (also when content was dropped)
  bool is_inline = false;  // not Content-Disposition "attachment" and has a Content-ID (images in HTML)
};

struct ParsedEmail {
  std::string message_id;                // without angle brackets; empty if absent
  std::vector<std::string> in_reply_to;  // ids without brackets
  std::vector<std::string> references;   // oldest first, without brackets
  std::string subject;                   // decoded UTF-8 NFC
  // The From header's first mailbox as "Name <addr>" (decoded; the name in double quotes when it
  // holds RFC 5322 specials such as ',' or '@'), or just "addr" without a name; empty if none.
  std::string from;
  std::vector<std::string> to, cc;  // each mailbox formatted like `from`; groups flattened
  int64_t date_us = 0;              // Date header, Unix micros; 0 when missing, unparsable or pre-1970
  std::string text;                 // body as UTF-8 NFC with "\n" line ends, quoted history trimmed
  std::string full_text;            // untrimmed body (== text when nothing was trimmed)
  bool quoted_text_trimmed = false;
  std::string html;  // the original HTML body, converted to UTF-8, if there was one
  std::vector<EmailAttachment> attachments;  // including those inside forwarded message/rfc822 parts
  std::vector<std::string> flags;            // each at most once; see kFlag* here and in auto_reply.h
  std::vector<std::string> warnings;         // human-readable notes on what could not be read
};

struct MimeOptions {
  size_t max_attachment_bytes = 25 << 20;  // larger parts: metadata only, content empty
};

// Parses `raw` (the message as received; CRLF or LF line ends; a leading mbox "From " line is
// skipped). Fails with InvalidArgument naming the defect only when nothing usable was found:
// empty input, no parsable header block, or neither a sender, recipient, subject, date, message
// id, body text nor attachment. Never crashes on any input (fuzzed: tests/fuzz/mime_fuzz.cc).
base::Result<ParsedEmail> ParseMimeMessage(std::string_view raw, const MimeOptions& options = {});

}  // namespace omnihub::email
