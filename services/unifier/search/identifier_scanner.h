// Exact identifiers written in a text (docs/search.md#identifiers): email addresses, phone
// numbers in any spelling and @handles, each normalized the way ingest normalizes identities
// (event::IdentityNormalizer), so that "(415) 555-0100", "+1 415 555 0100" and "4155550100"
// (default region US) are the one identifier +14155550100 on the index side and the query side.
//
// Thread-safety: pure functions over a thread-safe normalizer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/event/identity.h"

namespace omnihub::unifier::search {

struct FoundIdentifier {
  enum Kind { kEmail, kPhone, kHandle };
  Kind kind = kEmail;
  std::string value;  // normalized: the email address, the E.164 number, the handle without '@', lower-case
  size_t begin = 0;   // byte range of the identifier as written
  size_t end = 0;
};

// Every email address, phone-number-like run that normalizes to a number, and @handle of
// `text`, in order of position. What does not normalize is not an identifier.
std::vector<FoundIdentifier> FindIdentifiers(std::string_view text, const event::IdentityNormalizer& normalizer);

}  // namespace omnihub::unifier::search
