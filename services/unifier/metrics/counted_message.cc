#include "services/unifier/metrics/counted_message.h"

#include <algorithm>

namespace omnihub::unifier::metrics {

std::optional<ContactMessage> CountedMessage(const v1::Event& e, bool deleted) {
  if (deleted || e.kind() != v1::MESSAGE || e.channel() == v1::NOTE) return std::nullopt;
  if (e.direction() != v1::INBOUND && e.direction() != v1::OUTBOUND) return std::nullopt;
  const auto& flags = e.flags();
  if (std::find(flags.begin(), flags.end(), kAutoReplyFlag) != flags.end() ||
      std::find(flags.begin(), flags.end(), kBulkFlag) != flags.end()) {
    return std::nullopt;
  }
  ContactMessage m;
  m.occurred_at_us = e.occurred_at_us();
  m.event_id = e.event_id();
  m.inbound = e.direction() == v1::INBOUND;
  m.channel = e.channel();
  m.account = e.account();
  for (const char* field : kReferralFields) {
    auto it = e.provider_fields().find(field);
    if (it != e.provider_fields().end() && !it->second.empty()) m.referral = true;
  }
  return m;
}

}  // namespace omnihub::unifier::metrics
