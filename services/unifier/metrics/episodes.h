// The model of the relationship metrics (docs/metrics.md): a customer's counted messages in,
// their contact episodes out. Pure functions of their arguments (no clock, no I/O), so the
// consumer that keeps them up to date, a rebuild and the tests all get the same episodes.
//
// Thread-safety: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "omnihub/v1/event.pb.h"
#include "services/unifier/metrics/business_hours.h"

namespace omnihub::unifier::metrics {

struct EpisodeSettings {
  int64_t quiet_us = int64_t{24} * 3600 * 1000000;           // [metrics] quiet_hours
  int64_t resolution_us = int64_t{7} * 24 * 3600 * 1000000;  // [metrics] resolution_days
  std::optional<BusinessHours> business_hours;               // [metrics] business_hours; none = wall time
};

// The order a customer's messages are walked in, and kept in (the metrics database's lists
// too): by occurred_at_us, ties broken by event id. One definition for every comparison.
inline std::pair<int64_t, std::string_view> MessageOrder(int64_t occurred_at_us, std::string_view event_id) {
  return {occurred_at_us, event_id};
}

// One counted message of a customer (docs/metrics.md "What counts": the caller has already
// dropped notes, deleted, auto-reply and bulk messages, and other kinds).
struct ContactMessage {
  int64_t occurred_at_us = 0;
  std::string event_id;  // 16 bytes; breaks ties of occurred_at_us
  bool inbound = false;  // else outbound
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string account;
  bool referral = false;  // carries a referral (docs/metrics.md "Customer figures")

  // The order messages are walked in: (occurred_at_us, event_id).
  friend bool operator<(const ContactMessage& a, const ContactMessage& b) {
    return MessageOrder(a.occurred_at_us, a.event_id) < MessageOrder(b.occurred_at_us, b.event_id);
  }
};

// One episode, as far as the messages say; whether it is closed, open or unanswered depends
// on the report's as_of too (Status below).
struct Episode {
  // The opening message.
  int64_t opened_at_us = 0;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string account;
  // Replies.
  uint32_t replies = 0;
  int64_t first_reply_at_us = 0;  // valid when replies > 0
  v1::Channel reply_channel = v1::CHANNEL_UNSPECIFIED;
  int64_t first_response_us = 0;  // business hours applied when set; valid when replies > 0
  int64_t last_reply_at_us = 0;   // valid when replies > 0
  // Inbound messages.
  int64_t last_inbound_at_us = 0;
  bool follow_up = false;            // an inbound message after the first reply
  uint32_t channel_switches = 0;     // consecutive inbound messages on different channels
  bool ends_with_reply = false;      // its last counted message is a reply
  bool superseded = false;           // a later episode of the customer exists
};

enum class EpisodeStatus { kOpen, kClosed, kUnanswered };

// docs/metrics.md "Contact episodes": closed, unanswered or open as of `as_of_us`.
EpisodeStatus Status(const Episode& e, int64_t as_of_us, const EpisodeSettings& settings);
// First-contact resolved: closed, exactly one reply, no follow-up.
bool FirstContactResolved(const Episode& e, int64_t as_of_us, const EpisodeSettings& settings);

// The episodes of one customer's messages, oldest first. `messages` must be sorted by
// operator< (the caller merges the customer's identities' messages).
std::vector<Episode> ComputeEpisodes(std::span<const ContactMessage> messages, const EpisodeSettings& settings);

// What the customer figures need of one customer (docs/metrics.md "Customer figures").
struct CustomerSummary {
  std::string customer_id;
  bool referred = false;  // the first counted message carries a referral
  // Each episode's opening message: time, channel and account, oldest first (the first
  // gives the cohort; the size says whether the customer is returning).
  struct Opening {
    int64_t at_us = 0;
    v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
    std::string account;
  };
  std::vector<Opening> openings;
};

CustomerSummary SummarizeCustomer(std::string customer_id, std::span<const ContactMessage> messages,
                                  std::span<const Episode> episodes);

// Months since 1970-01 of a UTC time (1970-01 = 0, 2026-01 = 672).
int32_t MonthIndex(int64_t us);

}  // namespace omnihub::unifier::metrics
