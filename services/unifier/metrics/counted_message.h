// Which stored events the relationship metrics count (docs/metrics.md "What counts") and what
// they keep of one: a message (kind MESSAGE, inbound or outbound) on any channel but notes,
// not deleted, not flagged auto-reply or bulk.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "omnihub/v1/event.pb.h"
#include "services/unifier/metrics/episodes.h"

namespace omnihub::unifier::metrics {

// Flags (common to every adapter; the email parser sets them) that keep a message out.
inline constexpr char kAutoReplyFlag[] = "auto-reply";
inline constexpr char kBulkFlag[] = "bulk";

// The provider fields that carry a referral: a WhatsApp click-to-chat ad, a Messenger ad or
// m.me link, an integrator's `referred_by`.
inline constexpr const char* kReferralFields[] = {"referral", "postback.referral", "referred_by"};

// `e` as a counted message; nullopt when it does not count. `deleted`: a DELETE names it.
std::optional<ContactMessage> CountedMessage(const v1::Event& e, bool deleted);

}  // namespace omnihub::unifier::metrics
