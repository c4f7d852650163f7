// Finds identities written as text in a message (docs/suggestions.md): email addresses, by a
// tolerant scanner around each '@', and phone numbers, by libphonenumber's PhoneNumberMatcher
// in the normalizer's default region. Each is normalized with the same rules as identities
// (event::IdentityNormalizer), so "Jane.Doe@Example.COM." in a WhatsApp message and the sender
// jane.doe@example.com of an email are the same key.
//
// Thread-safety: pure function of its arguments (the normalizer is thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/event/identity.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::unifier {

struct Mention {
  v1::Identity identity;  // normalized (EMAIL or PHONE)
  std::string text;       // as written in the message ("+1 (415) 555-0100")
};

// Every distinct identity written in `text`: email addresses, then phone numbers, each in the
// order they are written. A candidate the normalizer refuses is not a mention, and the digits
// of an email address ("4155550100@example.com") are not a phone number of their own.
std::vector<Mention> FindMentions(std::string_view text, const event::IdentityNormalizer& normalizer);

}  // namespace omnihub::unifier
