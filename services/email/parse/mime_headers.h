// The header side of MIME parsing: a GMime message's ids, addresses, subject and date read
// into ParsedEmail, automated-mail detection, and the two ways parsing records what it met
// (flags, bounded warnings). Internal to ParseMimeMessage (mime_message.cc), which walks
// the body parts; kept apart so each file has one job.
//
// Thread-safety: free functions over their arguments; GMime must be initialized.
#pragma once

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "services/email/parse/mime_message.h"

namespace omnihub::email {

// Adds `flag` once.
void AddFlag(ParsedEmail* email, std::string_view flag);
// Adds `warning` once, up to a small bound (a hostile message cannot grow the event).
void AddWarning(ParsedEmail* email, std::string warning);
// Lower-cased ASCII copy of a C string; "" for null.
std::string LowerOrEmpty(const char* s);
// The charset `message` declares for its text, for raw 8-bit header bytes: the first charset of
// a text/plain or text/html body part (forwarded messages not included), else a charset
// parameter on its top-level Content-Type, that CanReadRawHeaderBytesIn allows; "" when none.
std::string TextCharset(GMimeMessage* message);
// Re-reads the header fields of `object` whose raw bytes are 8-bit but not UTF-8 (GMime guessed
// UTF-8, then windows-1252): in `text_charset`, the message's TextCharset, when
// CanReadRawHeaderBytesIn allows it; otherwise they keep windows-1252 and are flagged
// (undeclared-charset) with a warning. Must run before the values are read: GMime derives
// subject, addresses and parameters from the raw values again when they change.
void DecodeRawHeaders(GMimeObject* object, std::string_view text_charset, ParsedEmail* email);
// The first mailbox of an address list as "Name <addr>" (groups opened); "" when none.
std::string FirstMailbox(InternetAddressList* list);
// A header's decoded value, cleaned to UTF-8 text; "" when absent.
std::string HeaderText(GMimeObject* object, const char* name);
// Message-ID, In-Reply-To, References, Subject, From, To, Cc and Date (with a warning when
// the date is missing or unparsable), raw 8-bit values read by DecodeRawHeaders first.
void ReadHeaders(GMimeMessage* message, GMimeParserOptions* parser_options, std::string_view text_charset,
                 ParsedEmail* email);
// Auto-reply and bulk flags from the headers and the top-level media type (auto_reply.h).
void DetectAutomation(GMimeMessage* message, ParsedEmail* email);
// Number of header fields of `object`; 0 for null.
int HeaderCount(GMimeObject* object);

}  // namespace omnihub::email
