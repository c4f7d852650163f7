#include "services/email/smtp/recipient_policy.h"

#include <utility>

#include "common/event/email_address.h"
#include "common/event/tenant_id.h"

namespace omnihub::email {
namespace {

std::string TenantOfEntry(const std::map<std::string, std::string>& tenants, const std::string& raw) {
  auto it = tenants.find(raw);
  return it == tenants.end() ? std::string() : event::WireTenant(it->second);
}

}  // namespace

RecipientPolicy::RecipientPolicy(std::vector<std::string> mailboxes, std::vector<std::string> domains,
                                 const std::map<std::string, std::string>& tenants) {
  for (std::string& raw : mailboxes) {
    base::Result<event::EmailAddress> parsed = event::ParseEmailAddress(raw);
    if (parsed.ok()) {
      mailboxes_.emplace(parsed->Normalized(), TenantOfEntry(tenants, raw));
    } else {
      invalid_entries_.push_back(std::move(raw));
    }
  }
  for (std::string& raw : domains) {
    // Parsing a placeholder address runs the domain through the same IDNA and case rules as a
    // recipient's domain, so configured and received forms cannot drift apart.
    base::Result<event::EmailAddress> parsed = event::ParseEmailAddress("postmaster@" + raw);
    if (parsed.ok() && raw.find('@') == std::string::npos) {
      domains_.emplace(parsed->domain, TenantOfEntry(tenants, raw));
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

std::string RecipientPolicy::TenantOf(std::string_view normalized_address) const {
  if (auto it = mailboxes_.find(std::string(normalized_address)); it != mailboxes_.end()) return it->second;
  const size_t at = normalized_address.rfind('@');
  if (at == std::string_view::npos) return {};
  auto it = domains_.find(std::string(normalized_address.substr(at + 1)));
  return it == domains_.end() ? std::string() : it->second;
}

}  // namespace omnihub::email
