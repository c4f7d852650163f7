// SMTP command-line parsing (RFC 5321 §4.1): the verb, and for MAIL/RCPT the path and the ESMTP
// parameters. Syntax only: whether an address is acceptable, or a parameter known, is the
// session's business (smtp_session.h), so that every reply code is chosen in one place.
//
// Thread-safety: pure functions and plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::email {

enum class SmtpVerb {
  kUnknown,
  kHelo,
  kEhlo,
  kLhlo,
  kMail,
  kRcpt,
  kData,
  kRset,
  kNoop,
  kQuit,
  kVrfy,
  kExpn,
  kHelp,
  kStartTls,
};

struct SmtpCommandLine {
  SmtpVerb verb = SmtpVerb::kUnknown;
  // Both point into the line given to SplitCommandLine.
  std::string_view verb_text;
  std::string_view argument;  // after the verb, surrounding whitespace trimmed
};

// Splits a command line (CRLF already removed) at the first space. Verbs are case-insensitive;
// an unknown or empty verb gives kUnknown.
SmtpCommandLine SplitCommandLine(std::string_view line);

// One ESMTP parameter of MAIL or RCPT (RFC 5321 §4.1.2 esmtp-param).
struct EsmtpParameter {
  std::string keyword;  // upper-cased
  std::string value;    // as sent
  bool has_value = false;
};

struct SmtpPath {
  // MAIL FROM:<> (the null reverse-path, used by bounces and auto-replies).
  bool null_path = false;
  // The mailbox between the angle brackets with any source route ("@a,@b:") removed, not yet
  // validated as an address. Empty for the null path.
  std::string mailbox;
  std::vector<EsmtpParameter> parameters;
};

// Parses the argument of MAIL ("FROM:<a@b> SIZE=10") or RCPT ("TO:<a@b>"): `keyword` is "FROM"
// or "TO". Lenient where real clients differ from the grammar: spaces around the colon, and a
// path without angle brackets when it contains no spaces. Source routes are dropped as RFC 5321
// §4.1.1.3 asks. On failure: InvalidArgument naming the defect (the session answers 501).
base::Result<SmtpPath> ParseSmtpPath(std::string_view argument, std::string_view keyword);

}  // namespace omnihub::email
