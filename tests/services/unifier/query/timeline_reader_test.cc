#include "services/unifier/query/timeline_reader.h"

#include <gtest/gtest.h>

#include <set>

#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kMinute = 60'000'000;

class TimelineReaderTest : public ::testing::Test {
 protected:
  void Add(v1::Channel ch, const std::string& provider_id, const v1::Identity& from, int64_t at) {
    h_.Process({UnifierHarness::Frame("p", ++seq_, h_.MakeEvent(ch, provider_id, from, at))});
  }

  v1::QueryResponse Page(const v1::Identity& who, uint32_t limit, const std::string& cursor,
                         std::vector<v1::Channel> channels = {}, int64_t since = 0, int64_t until = 0) {
    QueryService q(h_.store(), h_.normalizer(), {50, 1000});
    v1::QueryRequest req;
    auto* t = req.mutable_timeline();
    *t->mutable_customer()->mutable_identity() = who;
    t->set_limit(limit);
    t->set_cursor(cursor);
    for (auto ch : channels) t->add_channels(ch);
    t->set_since_us(since);
    t->set_until_us(until);
    return q.Handle(req);
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
};

TEST(TimelineKeyTest, ByteOrderIsIdentityThenTimeThenEventId) {
  const std::string id_a(16, '\x01'), id_b(16, '\x02');
  EXPECT_LT(TimelineKey(1, kT0, id_b), TimelineKey(1, kT0 + 1, id_a));
  EXPECT_LT(TimelineKey(1, kT0, id_a), TimelineKey(1, kT0, id_b));
  EXPECT_LT(TimelineKey(1, INT64_MAX, id_b), TimelineKey(2, -5, id_a));
  EXPECT_LT(TimelineKey(1, -1, id_a), TimelineKey(1, 0, id_a));  // before 1970 sorts first
  TimelineKeyParts parts;
  const std::string key = TimelineKey(7, -42, id_a);  // parts.event_id points into it
  ASSERT_TRUE(DecodeTimelineKey(key, &parts));
  EXPECT_EQ(parts.identity_id, 7u);
  EXPECT_EQ(parts.occurred_at_us, -42);
  EXPECT_EQ(parts.event_id, id_a);
  EXPECT_FALSE(DecodeTimelineKey("short", &parts));
}

TEST(TimelineCursorTest, RoundTripsAndRejectsForeignText) {
  const TimelinePosition pos{kT0, std::string(16, '\x07')};
  auto back = DecodeTimelineCursor(EncodeTimelineCursor(pos));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->occurred_at_us, kT0);
  EXPECT_EQ(back->event_id, pos.event_id);
  EXPECT_TRUE(DecodeTimelineCursor("hello").status().IsInvalidArgument());
  EXPECT_TRUE(DecodeTimelineCursor("").status().IsInvalidArgument());
}

TEST_F(TimelineReaderTest, PagesAreNewestFirstWithoutGapsOrRepeats) {
  for (int i = 0; i < 25; ++i) Add(v1::SMS, "m" + std::to_string(i), Phone("+14155550100"), kT0 + i * kMinute);
  std::vector<int64_t> seen;
  std::string cursor;
  do {
    auto resp = Page(Phone("+14155550100"), 10, cursor);
    ASSERT_FALSE(resp.has_error()) << resp.error().message();
    for (const auto& e : resp.timeline().events()) seen.push_back(e.occurred_at_us());
    cursor = resp.timeline().next_cursor();
  } while (!cursor.empty());
  ASSERT_EQ(seen.size(), 25u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]);
}

TEST_F(TimelineReaderTest, MergesSmsAndWhatsAppOfOneNumberInTimeOrder) {
  Add(v1::SMS, "s1", Phone("+14155550100"), kT0);
  Add(v1::WHATSAPP, "w1", Phone("+1 (415) 555-0100"), kT0 + kMinute);
  Add(v1::SMS, "s2", Phone("+14155550100"), kT0 + 2 * kMinute);
  auto resp = Page(Phone("whatsapp:+14155550100"), 10, "");
  ASSERT_EQ(resp.timeline().events_size(), 3);
  EXPECT_EQ(resp.timeline().events(0).provider_message_id(), "s2");
  EXPECT_EQ(resp.timeline().events(1).provider_message_id(), "w1");
  EXPECT_EQ(resp.timeline().events(2).provider_message_id(), "s1");
}

TEST_F(TimelineReaderTest, PagingWhileNewAndLateEventsArriveReturnsEveryEntryOnce) {
  std::set<std::string> before;
  for (int i = 0; i < 300; ++i) {
    Add(v1::SMS, "old" + std::to_string(i), Phone("+14155550100"), kT0 + i * kMinute);
    before.insert("old" + std::to_string(i));
  }
  std::multiset<std::string> seen;
  std::string cursor;
  int written = 0;
  do {
    auto resp = Page(Phone("+14155550100"), 37, cursor);
    ASSERT_FALSE(resp.has_error()) << resp.error().message();
    for (const auto& e : resp.timeline().events()) seen.insert(e.provider_message_id());
    cursor = resp.timeline().next_cursor();
    // Between pages: 1,000 writes in all, newer and older than the page, some at equal times.
    for (int k = 0; k < 125 && written < 1000; ++k, ++written) {
      const int64_t at = (written % 3 == 0) ? kT0 + (written % 300) * kMinute            // same time as old ones
                         : (written % 3 == 1) ? kT0 - (written + 1) * kMinute            // older than everything
                                              : kT0 + (400 + written) * kMinute;         // newer than everything
      Add(v1::SMS, "new" + std::to_string(written), Phone("+14155550100"), at);
    }
  } while (!cursor.empty());
  EXPECT_EQ(written, 1000);
  for (const auto& id : before) EXPECT_EQ(seen.count(id), 1u) << id;
  for (const auto& id : seen) EXPECT_EQ(seen.count(id), 1u) << id;
}

TEST_F(TimelineReaderTest, FiltersByChannelAndTimeRange) {
  for (int i = 0; i < 10; ++i) {
    Add(i % 2 ? v1::SMS : v1::WHATSAPP, "m" + std::to_string(i), Phone("+14155550100"), kT0 + i * kMinute);
  }
  auto sms = Page(Phone("+14155550100"), 50, "", {v1::SMS});
  ASSERT_EQ(sms.timeline().events_size(), 5);
  for (const auto& e : sms.timeline().events()) EXPECT_EQ(e.channel(), v1::SMS);

  auto range = Page(Phone("+14155550100"), 50, "", {}, kT0 + 2 * kMinute, kT0 + 5 * kMinute);
  ASSERT_EQ(range.timeline().events_size(), 3);  // minutes 4, 3, 2 (until is exclusive)
  EXPECT_EQ(range.timeline().events(0).occurred_at_us(), kT0 + 4 * kMinute);
  EXPECT_EQ(range.timeline().events(2).occurred_at_us(), kT0 + 2 * kMinute);
}

TEST_F(TimelineReaderTest, DirectionAndKindFiltersKeepPagesFullAcrossCursors) {
  // Minute i: inbound message (i % 3 == 0), outbound message (1), activity (2).
  for (int i = 0; i < 30; ++i) {
    v1::Event e = h_.MakeEvent(v1::SMS, "m" + std::to_string(i), Phone("+14155550100"), kT0 + i * kMinute);
    if (i % 3 == 1) {
      e.set_direction(v1::OUTBOUND);
      *e.add_recipients() = e.sender();
      e.clear_sender();
    } else if (i % 3 == 2) {
      e.set_kind(v1::ACTIVITY);
      e.set_activity("order placed");
    }
    h_.Process({UnifierHarness::Frame("p", ++seq_, e)});
  }
  QueryService q(h_.store(), h_.normalizer(), {50, 1000});
  auto page = [&](v1::Direction direction, std::vector<v1::EventKind> kinds, const std::string& cursor) {
    v1::QueryRequest req;
    auto* t = req.mutable_timeline();
    *t->mutable_customer()->mutable_identity() = Phone("+14155550100");
    t->set_limit(4);
    t->set_cursor(cursor);
    t->set_direction(direction);
    for (auto k : kinds) t->add_kinds(k);
    return q.Handle(req);
  };
  std::vector<std::string> inbound_messages;
  std::string cursor;
  do {
    auto resp = page(v1::INBOUND, {v1::MESSAGE}, cursor);
    ASSERT_FALSE(resp.has_error()) << resp.error().message();
    cursor = resp.timeline().next_cursor();
    if (!cursor.empty()) {
      EXPECT_EQ(resp.timeline().events_size(), 4);  // full while more match
    }
    for (const auto& e : resp.timeline().events()) {
      EXPECT_EQ(e.direction(), v1::INBOUND);
      EXPECT_EQ(e.kind(), v1::MESSAGE);
      inbound_messages.push_back(e.provider_message_id());
    }
  } while (!cursor.empty());
  ASSERT_EQ(inbound_messages.size(), 10u);
  EXPECT_EQ(inbound_messages.front(), "m27");
  EXPECT_EQ(inbound_messages.back(), "m0");

  auto activities = page(v1::DIRECTION_UNSPECIFIED, {v1::ACTIVITY}, "");
  ASSERT_EQ(activities.timeline().events_size(), 4);
  EXPECT_EQ(activities.timeline().events(0).provider_message_id(), "m29");
  auto outbound = page(v1::OUTBOUND, {}, "");
  ASSERT_EQ(outbound.timeline().events_size(), 4);
  EXPECT_EQ(outbound.timeline().events(0).provider_message_id(), "m28");
}

TEST_F(TimelineReaderTest, UnknownIdentityAndBadCursorAreClearErrors) {
  Add(v1::EMAIL, "<1@x>", Email("jane@example.com"), kT0);
  auto missing = Page(Email("nobody@example.com"), 10, "");
  EXPECT_EQ(missing.error().code(), "not_found");
  auto bad = Page(Email("jane@example.com"), 10, "garbage!");
  EXPECT_EQ(bad.error().code(), "invalid_argument");
}

}  // namespace
}  // namespace omnihub::unifier
