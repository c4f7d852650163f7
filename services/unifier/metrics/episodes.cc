// Contact episodes from a customer's counted messages (episodes.h, docs/metrics.md "Contact
// episodes" and "Per-episode figures").
#include "services/unifier/metrics/episodes.h"

#include <chrono>

namespace omnihub::unifier::metrics {

namespace {

// Whether an inbound message at `at_us` opens a new episode after `current` (docs/metrics.md:
// quiet_hours since the previous inbound, and the current episode not inside the follow-up
// window of its last reply).
bool OpensEpisode(const Episode& current, int64_t previous_inbound_us, int64_t at_us, const EpisodeSettings& s) {
  if (at_us - previous_inbound_us < s.quiet_us) return false;
  const bool waiting_for_follow_up = current.ends_with_reply && at_us - current.last_reply_at_us <= s.resolution_us;
  return !waiting_for_follow_up;
}

// Whether an outbound message at `at_us` is a reply of `current`: it awaits an answer, or its
// last reply is at most resolution_days old.
bool IsReply(const Episode& current, int64_t at_us, const EpisodeSettings& s) {
  if (!current.ends_with_reply) return true;
  return at_us - current.last_reply_at_us <= s.resolution_us;
}

Episode Open(const ContactMessage& m) {
  Episode e;
  e.opened_at_us = m.occurred_at_us;
  e.channel = m.channel;
  e.account = m.account;
  e.last_inbound_at_us = m.occurred_at_us;
  return e;
}

void AddInbound(Episode& e, const ContactMessage& m, v1::Channel previous_channel) {
  if (e.replies > 0) e.follow_up = true;
  if (m.channel != previous_channel) ++e.channel_switches;
  e.last_inbound_at_us = m.occurred_at_us;
  e.ends_with_reply = false;
}

void AddReply(Episode& e, const ContactMessage& m, const EpisodeSettings& s) {
  if (e.replies == 0) {
    e.first_reply_at_us = m.occurred_at_us;
    e.reply_channel = m.channel;
    e.first_response_us = s.business_hours ? BusinessMicros(*s.business_hours, e.opened_at_us, m.occurred_at_us)
                                           : m.occurred_at_us - e.opened_at_us;
  }
  ++e.replies;
  e.last_reply_at_us = m.occurred_at_us;
  e.ends_with_reply = true;
}

}  // namespace

EpisodeStatus Status(const Episode& e, int64_t as_of_us, const EpisodeSettings& settings) {
  if (e.ends_with_reply && as_of_us - e.last_reply_at_us > settings.resolution_us) return EpisodeStatus::kClosed;
  // No reply, or a follow-up never answered, and the customer has moved on to a new episode.
  if (!e.ends_with_reply && e.superseded) return EpisodeStatus::kUnanswered;
  return EpisodeStatus::kOpen;
}

bool FirstContactResolved(const Episode& e, int64_t as_of_us, const EpisodeSettings& settings) {
  return Status(e, as_of_us, settings) == EpisodeStatus::kClosed && e.replies == 1 && !e.follow_up;
}

std::vector<Episode> ComputeEpisodes(std::span<const ContactMessage> messages, const EpisodeSettings& settings) {
  std::vector<Episode> episodes;
  int64_t previous_inbound_us = 0;
  v1::Channel previous_inbound_channel = v1::CHANNEL_UNSPECIFIED;  // within the current episode
  for (const ContactMessage& m : messages) {
    if (m.inbound) {
      if (episodes.empty() || OpensEpisode(episodes.back(), previous_inbound_us, m.occurred_at_us, settings)) {
        if (!episodes.empty()) episodes.back().superseded = true;
        episodes.push_back(Open(m));
      } else {
        AddInbound(episodes.back(), m, previous_inbound_channel);
      }
      previous_inbound_us = m.occurred_at_us;
      previous_inbound_channel = m.channel;
    } else if (!episodes.empty() && IsReply(episodes.back(), m.occurred_at_us, settings)) {
      AddReply(episodes.back(), m, settings);
    }
    // Otherwise a proactive message: no episode to answer, it counts nowhere.
  }
  return episodes;
}

CustomerSummary SummarizeCustomer(std::string customer_id, std::span<const ContactMessage> messages,
                                  std::span<const Episode> episodes) {
  CustomerSummary summary;
  summary.customer_id = std::move(customer_id);
  summary.referred = !messages.empty() && messages.front().referral;
  summary.openings.reserve(episodes.size());
  for (const Episode& e : episodes) summary.openings.push_back({e.opened_at_us, e.channel, e.account});
  return summary;
}

int32_t MonthIndex(int64_t us) {
  using namespace std::chrono;
  const auto day = floor<days>(sys_time<microseconds>(microseconds(us)));
  const year_month_day ymd(day);
  return (static_cast<int>(ymd.year()) - 1970) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

}  // namespace omnihub::unifier::metrics
