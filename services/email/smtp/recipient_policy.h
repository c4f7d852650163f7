// Which envelope recipients belong to the business: the configured mailboxes and domains. The
// SMTP/LMTP session asks it for every RCPT TO and answers 550 5.1.1 for anything else, so the
// hub never becomes an open relay and never stores mail addressed to strangers.
//
// Thread-safety: immutable after construction; Accepts may be called from any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace omnihub::email {

class RecipientPolicy {
 public:
  // `mailboxes` are full addresses ("support@example.com"), `domains` accept every local part
  // ("example.com" accepts "anyone@example.com" but not "anyone@sub.example.com"). Both are
  // normalized with common/event/email_address.h exactly as RCPT TO is, so "Support@Example.COM." and
  // IDN domains match. Entries that do not parse are left out and listed in invalid_entries(),
  // for the caller to report as a configuration error. No entries at all accepts nothing.
  RecipientPolicy(std::vector<std::string> mailboxes, std::vector<std::string> domains);

  // `normalized_address` is EmailAddress::Normalized() ("local@ascii-domain", ASCII lower-case).
  bool Accepts(std::string_view normalized_address) const;

  const std::vector<std::string>& invalid_entries() const { return invalid_entries_; }

 private:
  std::unordered_set<std::string> mailboxes_;
  std::unordered_set<std::string> domains_;
  std::vector<std::string> invalid_entries_;
};

}  // namespace omnihub::email
