// Email address parsing (RFC 5322 mailbox syntax, RFC 6531 UTF-8 local parts, IDNA domains):
// the one parser behind email identities and the SMTP server's MAIL FROM / RCPT TO, so that an
// address is accepted, rejected and normalized the same way wherever it enters.
// docs/identities.md ("Email") lists the rules and every rejection.
//
// Thread-safety: pure functions and plain values; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::event {

struct EmailAddress {
  // The local part as written once quotes are removed ("Jane.Doe" of "\"Jane.Doe\"@x"): a
  // dot-atom, possibly UTF-8. Case is kept because only the receiving server may interpret it;
  // matching uses Normalized().
  std::string local;
  // Lower-case IDNA ASCII ("xn--bcher-kva.example"), without a trailing dot.
  std::string domain;
  // The display name before "<...>": unquoted, escapes resolved, comments removed, whitespace
  // runs collapsed; empty when there is none.
  std::string display_name;

  // "local@domain" with the local part's ASCII letters lower-cased: the form identities match
  // on (docs/identities.md, "Email", explains the case-folding).
  std::string Normalized() const;
};

// Parses "Jane Doe <Jane.Doe@Example.COM>", "jane@example.com (comment)", "<jane@example.com>",
// "mailto:jane%2Bshop@example.com?subject=hi", "\"jane\"@example.com" and the like. Surrounding
// whitespace is ignored. On failure: InvalidArgument "invalid email address '<raw>': <defect>".
// SMTP's null reverse-path "<>" is rejected ("empty address"): a caller that allows it checks
// for it before calling.
base::Result<EmailAddress> ParseEmailAddress(std::string_view raw);

}  // namespace omnihub::event
