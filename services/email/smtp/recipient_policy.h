// Which envelope recipients belong to the business: the configured mailboxes and domains, and
// which tenant each belongs to. The SMTP/LMTP session asks it for every RCPT TO and answers
// 550 5.1.1 for anything else, so the hub never becomes an open relay and never stores mail
// addressed to strangers; the ingest asks it for the tenant of a message's account.
//
// Thread-safety: immutable after construction; Accepts and TenantOf may be called from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace omnihub::email {

class RecipientPolicy {
 public:
  // `mailboxes` are full addresses ("support@example.com"), `domains` accept every local part
  // ("example.com" accepts "anyone@example.com" but not "anyone@sub.example.com"). Both are
  // normalized with common/event/email_address.h exactly as RCPT TO is, so "Support@Example.COM." and
  // IDN domains match. Entries that do not parse are left out and listed in invalid_entries(),
  // for the caller to report as a configuration error. No entries at all accepts nothing.
  // `tenants` maps a mailbox or domain, as configured, to its tenant when that is not
  // "default" (EmailConfig::tenants).
  RecipientPolicy(std::vector<std::string> mailboxes, std::vector<std::string> domains,
                  const std::map<std::string, std::string>& tenants = {});

  // `normalized_address` is EmailAddress::Normalized() ("local@ascii-domain", ASCII lower-case).
  bool Accepts(std::string_view normalized_address) const;

  // The tenant of an accepted address: its mailbox's, else its domain's; "" (the default
  // tenant's wire form, common/event/tenant_id.h) for the default tenant and for addresses
  // that are not accepted.
  std::string TenantOf(std::string_view normalized_address) const;

  const std::vector<std::string>& invalid_entries() const { return invalid_entries_; }

 private:
  // Normalized mailbox / domain -> tenant ("" = default).
  std::unordered_map<std::string, std::string> mailboxes_;
  std::unordered_map<std::string, std::string> domains_;
  std::vector<std::string> invalid_entries_;
};

}  // namespace omnihub::email
