#include "services/email/smtp/recipient_policy.h"

#include <utility>

#include "common/event/email_address.h"

namespace omnihub::email {

RecipientPolicy::RecipientPolicy(std::vector<std::string> mailboxes, std::vector<std::string> domains) {
  for (std::string& raw : mailboxes) {
    base::Result<event::EmailAddress> parsed = event::ParseEmailAddress(raw);
    if (parsed.ok()) {
      mailboxes_.insert(parsed->Normalized());
    } else {
      invalid_entries_.push_back(std::move(raw));
    }
  }
  for (std::string& raw : domains) {
    // Parsing a placeholder address runs the domain through the same IDNA and case rules as a
    // recipient's domain, so configured and received forms cannot drift apart.
    base::Result<event::EmailAddress> parsed = event::ParseEmailAddress("postmaster@" + raw);
    if (parsed.ok() && raw.find('@') == std::string::npos) {
      domains_.insert(parsed->domain);
    } else {
      invalid_entries_.push_back(std::move(raw));
    }
  }
}

bool RecipientPolicy::Accepts(std::string_view normalized_address) const {
  if (mailboxes_.contains(std::string(normalized_address))) return true;
  const size_t at = normalized_address.rfind('@');
  if (at == std::string_view::npos) return false;
  return domains_.contains(std::string(normalized_address.substr(at + 1)));
}

}  // namespace omnihub::email
