// The episode model on hand-checked timelines (docs/metrics.md "Contact episodes",
// "Per-episode figures").
#include "services/unifier/metrics/episodes.h"

#include <gtest/gtest.h>

#include "tests/services/unifier/metrics/timeline.h"

namespace omnihub::unifier::metrics {
namespace {

using namespace testing;

const EpisodeSettings kDefaults;

// Every field, so that two lists of episodes compare as text with a readable difference.
std::string Describe(const Episode& e) {
  return base::FormatRfc3339Micros(e.opened_at_us) + " ch=" + std::to_string(e.channel) + " acct=" + e.account +
         " replies=" + std::to_string(e.replies) + " first_reply=" + std::to_string(e.first_reply_at_us) +
         " reply_ch=" + std::to_string(e.reply_channel) + " frt=" + std::to_string(e.first_response_us) +
         " last_reply=" + std::to_string(e.last_reply_at_us) + " last_in=" + std::to_string(e.last_inbound_at_us) +
         " follow_up=" + std::to_string(e.follow_up) + " switches=" + std::to_string(e.channel_switches) +
         " ends_with_reply=" + std::to_string(e.ends_with_reply) + " superseded=" + std::to_string(e.superseded);
}
std::vector<std::string> Describe(const std::vector<Episode>& episodes) {
  std::vector<std::string> out;
  for (const auto& e : episodes) out.push_back(Describe(e));
  return out;
}

std::vector<Episode> Episodes(std::vector<ContactMessage> messages, const EpisodeSettings& s = kDefaults) {
  return ComputeEpisodes(Sorted(std::move(messages)), s);
}

TEST(EpisodesTest, AnsweredContactClosesAfterTheWindowAndIsResolvedAtFirstContact) {
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T11:00:00Z", v1::EMAIL)});
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& e = episodes[0];
  EXPECT_EQ(e.opened_at_us, At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(e.replies, 1u);
  EXPECT_EQ(e.first_response_us, 2 * kHour);
  EXPECT_EQ(e.reply_channel, v1::EMAIL);
  EXPECT_TRUE(e.ends_with_reply);
  EXPECT_FALSE(e.follow_up);
  const int64_t reply = At("2026-03-02T11:00:00Z");
  // Closed only when more than resolution_days have passed since the reply.
  EXPECT_EQ(Status(e, reply + 7 * kDay, kDefaults), EpisodeStatus::kOpen);
  EXPECT_FALSE(FirstContactResolved(e, reply + 7 * kDay, kDefaults));
  EXPECT_EQ(Status(e, reply + 7 * kDay + 1, kDefaults), EpisodeStatus::kClosed);
  EXPECT_TRUE(FirstContactResolved(e, reply + 7 * kDay + 1, kDefaults));
}

TEST(EpisodesTest, CrossChannelFollowUpMakesTheEpisodeNotResolvedAtFirstContact) {
  // Email answered, the customer writes on WhatsApp two days later: one contact, not two.
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T11:00:00Z", v1::EMAIL),
                            In("2026-03-04T11:00:00Z", v1::WHATSAPP), Out("2026-03-04T11:30:00Z", v1::WHATSAPP)});
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& e = episodes[0];
  EXPECT_TRUE(e.follow_up);
  EXPECT_EQ(e.replies, 2u);
  EXPECT_EQ(e.channel_switches, 1u);
  EXPECT_EQ(e.channel, v1::EMAIL);
  EXPECT_EQ(e.reply_channel, v1::EMAIL);
  EXPECT_EQ(e.first_response_us, 2 * kHour);
  const int64_t much_later = At("2026-04-01T00:00:00Z");
  EXPECT_EQ(Status(e, much_later, kDefaults), EpisodeStatus::kClosed);
  EXPECT_FALSE(FirstContactResolved(e, much_later, kDefaults));
}

TEST(EpisodesTest, FollowUpAfterTheOnlyReplyIsNotResolvedEvenIfNeverAnsweredAgain) {
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T11:00:00Z", v1::EMAIL),
                            In("2026-03-03T09:00:00Z", v1::SMS)});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_TRUE(episodes[0].follow_up);
  EXPECT_FALSE(episodes[0].ends_with_reply);
  // Waiting for an answer to the follow-up: open however long it waits.
  EXPECT_EQ(Status(episodes[0], At("2027-01-01T00:00:00Z"), kDefaults), EpisodeStatus::kOpen);
}

TEST(EpisodesTest, LateEventReopensAClosedEpisode) {
  std::vector<ContactMessage> messages = {In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T10:00:00Z", v1::EMAIL)};
  const int64_t as_of = At("2026-03-12T00:00:00Z");
  auto before = Episodes(messages);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(Status(before[0], as_of, kDefaults), EpisodeStatus::kClosed);
  EXPECT_TRUE(FirstContactResolved(before[0], as_of, kDefaults));

  // A WhatsApp message of 2026-03-06 arrives after the episode closed: recomputed in order,
  // it is a follow-up inside the window, and the episode waits for its answer again.
  messages.push_back(In("2026-03-06T08:00:00Z", v1::WHATSAPP));
  auto after = Episodes(messages);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(after[0].follow_up);
  EXPECT_EQ(after[0].channel_switches, 1u);
  EXPECT_EQ(Status(after[0], as_of, kDefaults), EpisodeStatus::kOpen);
  EXPECT_FALSE(FirstContactResolved(after[0], as_of, kDefaults));

  // Its late answer closes it again, no longer resolved at first contact.
  messages.push_back(Out("2026-03-06T09:00:00Z", v1::WHATSAPP));
  auto answered = Episodes(messages);
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_EQ(answered[0].replies, 2u);
  EXPECT_EQ(Status(answered[0], At("2026-03-14T00:00:00Z"), kDefaults), EpisodeStatus::kClosed);
  EXPECT_FALSE(FirstContactResolved(answered[0], At("2026-03-14T00:00:00Z"), kDefaults));
}

TEST(EpisodesTest, MergeJoinsTwoCustomersEpisodesAndSplitSeparatesThemAgain) {
  // Identity A wrote by email and was answered; identity B (the same person, not yet known
  // to be) wrote on WhatsApp the next day.
  const std::vector<ContactMessage> a = {In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T10:00:00Z", v1::EMAIL)};
  const std::vector<ContactMessage> b = {In("2026-03-03T12:00:00Z", v1::WHATSAPP),
                                         Out("2026-03-03T12:30:00Z", v1::WHATSAPP)};
  const auto apart_a = Episodes(a), apart_b = Episodes(b);
  ASSERT_EQ(apart_a.size(), 1u);
  ASSERT_EQ(apart_b.size(), 1u);
  EXPECT_FALSE(apart_a[0].follow_up);
  EXPECT_EQ(apart_b[0].first_response_us, 30 * kMinute);

  // Merged: B's message is a follow-up of A's episode, on another channel.
  std::vector<ContactMessage> merged = a;
  merged.insert(merged.end(), b.begin(), b.end());
  const auto joined = Episodes(merged);
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_TRUE(joined[0].follow_up);
  EXPECT_EQ(joined[0].replies, 2u);
  EXPECT_EQ(joined[0].channel_switches, 1u);
  EXPECT_EQ(joined[0].first_response_us, kHour);
  EXPECT_FALSE(FirstContactResolved(joined[0], At("2026-04-01T00:00:00Z"), kDefaults));

  // Split: each side's messages alone give exactly the episodes they had before the merge.
  EXPECT_EQ(Describe(Episodes(a)), Describe(apart_a));
  EXPECT_EQ(Describe(Episodes(b)), Describe(apart_b));
  EXPECT_TRUE(FirstContactResolved(apart_a[0], At("2026-04-01T00:00:00Z"), kDefaults));
}

TEST(EpisodesTest, QuietHoursEdge) {
  // Unanswered, the customer writes again exactly quiet_hours later: a new episode.
  auto at_edge = Episodes({In("2026-03-02T09:00:00Z", v1::SMS), In("2026-03-03T09:00:00Z", v1::SMS)});
  ASSERT_EQ(at_edge.size(), 2u);
  EXPECT_TRUE(at_edge[0].superseded);
  EXPECT_EQ(Status(at_edge[0], At("2026-03-03T09:00:00Z"), kDefaults), EpisodeStatus::kUnanswered);
  EXPECT_EQ(Status(at_edge[1], At("2026-03-03T09:00:00Z"), kDefaults), EpisodeStatus::kOpen);

  // One microsecond earlier: the same episode.
  auto inside = Episodes({In("2026-03-02T09:00:00Z", v1::SMS), In("2026-03-03T08:59:59.999999Z", v1::SMS)});
  ASSERT_EQ(inside.size(), 1u);
  EXPECT_FALSE(inside[0].follow_up);
  EXPECT_EQ(inside[0].channel_switches, 0u);

  // quiet_hours counts from the previous inbound, not from the opening.
  auto chained = Episodes({In("2026-03-02T09:00:00Z", v1::SMS), In("2026-03-03T08:00:00Z", v1::SMS),
                           In("2026-03-04T07:00:00Z", v1::SMS)});
  EXPECT_EQ(chained.size(), 1u);
}

TEST(EpisodesTest, ResolutionDaysEdge) {
  const char* kReply = "2026-03-02T10:00:00Z";
  // Exactly resolution_days after the reply: still a follow-up (quiet_hours has passed, but
  // the episode waits for its window).
  auto at_edge = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out(kReply, v1::EMAIL),
                           In("2026-03-09T10:00:00Z", v1::EMAIL)});
  ASSERT_EQ(at_edge.size(), 1u);
  EXPECT_TRUE(at_edge[0].follow_up);
  // One microsecond later: a new episode, and the first one is closed.
  auto after = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out(kReply, v1::EMAIL),
                         In("2026-03-09T10:00:00.000001Z", v1::EMAIL)});
  ASSERT_EQ(after.size(), 2u);
  EXPECT_FALSE(after[0].follow_up);
  EXPECT_EQ(Status(after[0], At("2026-03-09T10:00:00.000001Z"), kDefaults), EpisodeStatus::kClosed);
  EXPECT_TRUE(FirstContactResolved(after[0], At("2026-03-09T10:00:00.000001Z"), kDefaults));

  // An outbound message exactly resolution_days after the last reply is another reply; one
  // microsecond later it is proactive and counts nowhere.
  auto second_reply = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out(kReply, v1::EMAIL),
                                Out("2026-03-09T10:00:00Z", v1::SMS)});
  ASSERT_EQ(second_reply.size(), 1u);
  EXPECT_EQ(second_reply[0].replies, 2u);
  EXPECT_EQ(second_reply[0].last_reply_at_us, At("2026-03-09T10:00:00Z"));
  auto proactive = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out(kReply, v1::EMAIL),
                             Out("2026-03-09T10:00:00.000001Z", v1::SMS)});
  ASSERT_EQ(proactive.size(), 1u);
  EXPECT_EQ(proactive[0].replies, 1u);
  EXPECT_EQ(proactive[0].last_reply_at_us, At(kReply));
}

TEST(EpisodesTest, UnansweredEpisodeWhenTheCustomerWritesAgainWithoutAnAnswer) {
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), In("2026-03-05T09:00:00Z", v1::TELEGRAM),
                            Out("2026-03-05T10:00:00Z", v1::TELEGRAM)});
  ASSERT_EQ(episodes.size(), 2u);
  const int64_t as_of = At("2026-04-01T00:00:00Z");
  EXPECT_EQ(episodes[0].replies, 0u);
  EXPECT_EQ(Status(episodes[0], as_of, kDefaults), EpisodeStatus::kUnanswered);
  EXPECT_EQ(Status(episodes[1], as_of, kDefaults), EpisodeStatus::kClosed);
  EXPECT_EQ(episodes[1].first_response_us, kHour);
  // The last episode without an answer is open (still awaiting one).
  auto waiting = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL)});
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(Status(waiting[0], as_of, kDefaults), EpisodeStatus::kOpen);
}

TEST(EpisodesTest, AFollowUpNeverAnsweredLeavesTheEpisodeUnansweredOnceTheCustomerMovesOn) {
  // Answered, a follow-up nobody answered, then a new contact after quiet_hours: the first
  // episode is neither closed nor still open.
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-03-02T10:00:00Z", v1::EMAIL),
                            In("2026-03-02T12:00:00Z", v1::SMS), In("2026-03-04T09:00:00Z", v1::SMS)});
  ASSERT_EQ(episodes.size(), 2u);
  const int64_t as_of = At("2026-04-01T00:00:00Z");
  EXPECT_EQ(episodes[0].replies, 1u);
  EXPECT_TRUE(episodes[0].follow_up);
  EXPECT_EQ(Status(episodes[0], as_of, kDefaults), EpisodeStatus::kUnanswered);
  EXPECT_FALSE(FirstContactResolved(episodes[0], as_of, kDefaults));
  EXPECT_EQ(Status(episodes[1], as_of, kDefaults), EpisodeStatus::kOpen);
}

TEST(EpisodesTest, AnAnswerHoweverLateIsTheAnswer) {
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), Out("2026-04-01T09:00:00Z", v1::EMAIL)});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].replies, 1u);
  EXPECT_EQ(episodes[0].first_response_us, 30 * kDay);
}

TEST(EpisodesTest, ProactiveOutboundCountsNowhere) {
  // A message to a customer who never wrote, and one long after the last contact.
  auto episodes = Episodes({Out("2026-03-01T09:00:00Z", v1::SMS), In("2026-03-02T09:00:00Z", v1::EMAIL),
                            Out("2026-03-02T10:00:00Z", v1::EMAIL), Out("2026-03-20T10:00:00Z", v1::WHATSAPP)});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].opened_at_us, At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(episodes[0].replies, 1u);
  EXPECT_EQ(episodes[0].reply_channel, v1::EMAIL);
  EXPECT_EQ(episodes[0].last_reply_at_us, At("2026-03-02T10:00:00Z"));
  EXPECT_TRUE(FirstContactResolved(episodes[0], At("2026-03-20T10:00:00Z"), kDefaults));
  EXPECT_TRUE(Episodes({Out("2026-03-01T09:00:00Z", v1::SMS)}).empty());
}

TEST(EpisodesTest, EqualTimesAreOrderedByEventId) {
  ContactMessage in = In("2026-03-02T09:00:00Z", v1::EMAIL);
  ContactMessage out = Out("2026-03-02T09:00:00Z", v1::EMAIL);
  in.event_id = "b";
  out.event_id = "a";
  // The reply sorts first: it has no episode to answer, and the inbound stays unanswered.
  auto episodes = Episodes({in, out});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].replies, 0u);
  out.event_id = "c";
  episodes = Episodes({in, out});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].replies, 1u);
  EXPECT_EQ(episodes[0].first_response_us, 0);
}

TEST(EpisodesTest, ChannelSwitchesCountConsecutiveInboundOnDifferentChannels) {
  auto episodes = Episodes({In("2026-03-02T09:00:00Z", v1::EMAIL), In("2026-03-02T09:10:00Z", v1::SMS),
                            In("2026-03-02T09:20:00Z", v1::SMS), Out("2026-03-02T09:30:00Z", v1::X),
                            In("2026-03-02T09:40:00Z", v1::EMAIL)});
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].channel_switches, 2u);  // email -> sms, sms -> email; the reply's channel is not one
  EXPECT_EQ(episodes[0].reply_channel, v1::X);
}

TEST(EpisodesTest, BusinessHoursApplyToTheFirstResponse) {
  EpisodeSettings s;
  auto hours = ParseBusinessHours({{"zone", "Europe/Budapest"}, {"mon", "09:00-17:00"}, {"fri", "09:00-17:00"}});
  ASSERT_TRUE(hours.ok()) << hours.status().ToString();
  s.business_hours = *hours;
  // Friday 16:00 local (15:00 UTC) to Monday 10:00 local (09:00 UTC): 1 h + 1 h.
  auto episodes = Episodes({In("2026-03-06T15:00:00Z", v1::EMAIL), Out("2026-03-09T09:00:00Z", v1::EMAIL)}, s);
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].first_response_us, 2 * kHour);
}

TEST(EpisodesTest, SummaryTakesTheReferralFromTheFirstCountedMessage) {
  auto first_outbound = Sorted({Out("2026-03-01T09:00:00Z", v1::WHATSAPP, "wa", true),
                                In("2026-03-02T09:00:00Z", v1::WHATSAPP, "wa")});
  auto episodes = ComputeEpisodes(first_outbound, kDefaults);
  auto summary = SummarizeCustomer("c1", first_outbound, episodes);
  EXPECT_EQ(summary.customer_id, "c1");
  EXPECT_TRUE(summary.referred);
  ASSERT_EQ(summary.openings.size(), 1u);
  EXPECT_EQ(summary.openings[0].at_us, At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(summary.openings[0].channel, v1::WHATSAPP);
  EXPECT_EQ(summary.openings[0].account, "wa");

  auto later_referral = Sorted({In("2026-03-01T09:00:00Z", v1::EMAIL), In("2026-03-10T09:00:00Z", v1::MESSENGER, "fb", true)});
  auto later = SummarizeCustomer("c2", later_referral, ComputeEpisodes(later_referral, kDefaults));
  EXPECT_FALSE(later.referred);
  EXPECT_EQ(later.openings.size(), 2u);
}

TEST(EpisodesTest, MonthIndex) {
  EXPECT_EQ(MonthIndex(0), 0);
  EXPECT_EQ(MonthIndex(At("2026-01-01T00:00:00Z")), 672);
  EXPECT_EQ(MonthIndex(At("2025-12-31T23:59:59.999999Z")), 671);
  EXPECT_EQ(MonthIndex(At("2026-02-28T12:00:00Z")), 673);
  EXPECT_EQ(MonthIndex(At("1969-12-31T23:59:59Z")), -1);
}

}  // namespace
}  // namespace omnihub::unifier::metrics
