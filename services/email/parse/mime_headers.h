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
// Flags (and warns about) header fields whose raw bytes are 8-bit but not UTF-8.
void CheckRawHeaders(GMimeObject* object, ParsedEmail* email);
// The first mailbox of an address list as "Name <addr>" (groups opened); "" when none.
std::string FirstMailbox(InternetAddressList* list);
// A header's decoded value, cleaned to UTF-8 text; "" when absent.
std::string HeaderText(GMimeObject* object, const char* name);
// Message-ID, In-Reply-To, References, Subject, From, To, Cc and Date (with a warning when
// the date is missing or unparsable), plus a flag for 8-bit header bytes in no charset.
void ReadHeaders(GMimeMessage* message, GMimeParserOptions* parser_options, ParsedEmail* email);
// Auto-reply and bulk flags from the headers and the top-level media type (auto_reply.h).
void DetectAutomation(GMimeMessage* message, ParsedEmail* email);
// Number of header fields of `object`; 0 for null.
int HeaderCount(GMimeObject* object);

}  // namespace omnihub::email
