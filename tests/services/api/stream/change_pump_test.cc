// The change hub's rounds against a fake unifier and captured streams, time on a manual
// clock: live changes in order, gaps and a dropped tail filled from the change log, a
// reconnect getting each missed change exactly once, resets, heartbeats, slow clients and
// the customer filter following a merge.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/api/stream/change_pump.h"
#include "services/api/stream/customer_filter.h"
#include "tests/services/api/stream/fake_unifier.h"

namespace omnihub::api::stream {
namespace {

using ::testing::ElementsAre;
using testing::CapturedStream;
using testing::FakeUnifier;

constexpr std::chrono::milliseconds kWait{100};

std::vector<uint64_t> Seqs(uint64_t from, uint64_t to) {
  std::vector<uint64_t> seqs;
  for (uint64_t s = from; s <= to; ++s) seqs.push_back(s);
  return seqs;
}

class ChangePumpTest : public ::testing::Test {
 protected:
  ChangePump& pump() {
    if (!pump_) pump_ = std::make_unique<ChangePump>(options_, hub_, hub_, clock_);
    return *pump_;
  }
  std::shared_ptr<CapturedStream> Open(uint64_t after_seq, ChangeFilter filter = nullptr) {
    auto stream = std::make_shared<CapturedStream>();
    pump().Open(stream, after_seq, std::move(filter));
    return stream;
  }
  // Rounds of kWait: one live change each, or the wait on the manual clock. The default is
  // enough for a few changes and shorter than a quiet spell (no catch-up from the log).
  void Pump(int rounds = 10) {
    for (int i = 0; i < rounds; ++i) pump().Pump(kWait);
  }
  void CommitEvents(int n, const std::string& customer = "c1") {
    for (int i = 0; i < n; ++i) hub_.CommitEvent(customer);
  }

  base::ManualClock clock_;
  FakeUnifier hub_{clock_};
  ChangeHubOptions options_{.heartbeat_s = 15, .replay_max = 100, .memory_changes = 64};
  std::unique_ptr<ChangePump> pump_;
};

TEST_F(ChangePumpTest, AStreamStartsWithRetryAndGetsTheChangesFromNowInOrder) {
  CommitEvents(3);
  Pump(1);
  EXPECT_EQ(pump().last_seq(), 3u);
  auto s = Open(0);
  ASSERT_EQ(s->Events().size(), 1u);  // the first bytes are written at once
  EXPECT_EQ(s->Events()[0].retry, 2000);
  CommitEvents(2);
  Pump();

  const auto events = s->Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].id, "4");
  EXPECT_EQ(events[1].event, "change");
  const auto data = nlohmann::json::parse(events[1].data);
  EXPECT_EQ(data["change_seq"], 4);
  EXPECT_EQ(data["kind"], "event_added");
  EXPECT_EQ(data["customer_id"], "c1");
  EXPECT_EQ(data["channel"], "sms");
  EXPECT_EQ(s->ChangeSeqs(), Seqs(4, 5));
  EXPECT_EQ(pump().last_seq(), 5u);
}

TEST_F(ChangePumpTest, GapsAndADroppedTailAreFilledFromTheChangeLog) {
  Pump(1);
  auto s = Open(0);
  hub_.CommitEvent("c1");
  hub_.CommitEvent("c1", /*publish=*/false);
  hub_.CommitEvent("c1");
  Pump(5);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(1, 3));

  // The tail's notification dropped: no gap shows, the quiet spell makes the log be asked.
  hub_.CommitEvent("c1", /*publish=*/false);
  Pump(1);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(1, 3));
  Pump(static_cast<int>(client::ChangeFollower::kQuietUs / 100'000) + 1);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(1, 4));
}

TEST_F(ChangePumpTest, AReconnectGetsEveryMissedChangeExactlyOnceThenLive) {
  Pump(1);
  auto first = Open(0);
  CommitEvents(5);
  Pump();
  ASSERT_EQ(first->ChangeSeqs(), Seqs(1, 5));

  first->refuse = true;  // the client is cut off
  CommitEvents(5);
  Pump();
  EXPECT_TRUE(first->closed);
  EXPECT_EQ(pump().stream_count(), 0u);

  auto second = Open(5);  // Last-Event-ID: 5
  CommitEvents(1);
  Pump();
  EXPECT_EQ(second->ChangeSeqs(), Seqs(6, 11));
  EXPECT_TRUE(hub_.change_log_requests.empty()) << "all in memory";
}

TEST_F(ChangePumpTest, AReplayOlderThanMemoryComesFromTheChangeLog) {
  options_.memory_changes = 4;
  Pump(1);
  CommitEvents(30);
  Pump(35);
  auto s = Open(2);
  Pump(3);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(3, 30));
  // 3..26 from the log (in one page, up to the buffer's oldest), 27..30 from memory.
  const auto& asked = hub_.change_log_requests;
  auto replay = std::find_if(asked.begin(), asked.end(), [](const auto& r) { return r.from_seq() == 3; });
  ASSERT_NE(replay, asked.end());
  EXPECT_EQ(replay->limit(), 24u);
}

TEST_F(ChangePumpTest, ABigGapIsTakenInHalfBuffersSoLiveStreamsAreServedFromMemory) {
  options_.memory_changes = 8;
  Pump(1);
  auto s = Open(0);
  for (int i = 0; i < 50; ++i) hub_.CommitEvent("c1", /*publish=*/false);
  hub_.CommitEvent("c1");  // 51: the gap shows
  Pump(20);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(1, 51));
  // Only the follower read the log (whole pages); the stream never needed a replay of its own.
  ASSERT_FALSE(hub_.change_log_requests.empty());
  for (const auto& r : hub_.change_log_requests) EXPECT_EQ(r.limit(), client::ChangeFollower::kLogPage);
}

TEST_F(ChangePumpTest, AReplayTheHubCannotAnswerWaitsAndIsRetried) {
  options_.memory_changes = 4;
  Pump(1);
  CommitEvents(30);
  Pump(35);
  hub_.unavailable = true;
  auto s = Open(2);
  const int64_t before = clock_.MonotonicMicros();
  Pump(3);
  EXPECT_EQ(s->ChangeSeqs(), std::vector<uint64_t>{});
  // Each round waited for live changes instead of asking the hub again at once.
  EXPECT_EQ(clock_.MonotonicMicros() - before, 3 * 100'000);
  hub_.unavailable = false;
  Pump(3);
  EXPECT_EQ(s->ChangeSeqs(), Seqs(3, 30));
}

TEST_F(ChangePumpTest, AStreamTooFarBehindGetsAResetThenLiveChanges) {
  options_.replay_max = 10;
  Pump(1);
  CommitEvents(30);
  Pump(35);
  auto s = Open(5);
  CommitEvents(1);
  Pump();
  const auto events = s->Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].event, "reset");
  EXPECT_EQ(events[1].id, "30");
  EXPECT_EQ(nlohmann::json::parse(events[1].data),
            nlohmann::json({{"reason", "too_far_behind"}, {"last_change_seq", 30}}));
  EXPECT_EQ(s->ChangeSeqs(), Seqs(31, 31));

  auto within = Open(21);  // exactly replay_max behind: caught up
  Pump();
  EXPECT_EQ(within->ChangeSeqs(), Seqs(22, 31));
}

TEST_F(ChangePumpTest, AnIdBeyondTheHubsLastChangeGetsAReset) {
  CommitEvents(3);
  Pump(1);
  auto ahead = Open(50);
  Pump(1);
  const auto events = ahead->Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event, "reset");
  EXPECT_EQ(nlohmann::json::parse(events[1].data),
            nlohmann::json({{"reason", "ahead_of_hub"}, {"last_change_seq", 3}}));

  // An id the feed has not brought yet, but the log has, is no reset.
  hub_.CommitEvent("c1", /*publish=*/false);
  auto just_ahead = Open(4);
  CommitEvents(1);
  Pump();
  EXPECT_EQ(just_ahead->Events().size(), 2u);
  EXPECT_EQ(just_ahead->ChangeSeqs(), Seqs(5, 5));
}

TEST_F(ChangePumpTest, AnIdleStreamGetsAHeartbeatEveryInterval) {
  Pump(1);
  auto s = Open(0);
  Pump(149);  // 14.9 s of 100 ms waits
  EXPECT_EQ(s->Events().size(), 1u);
  Pump(1);
  ASSERT_EQ(s->Events().size(), 2u);
  EXPECT_EQ(s->Events()[1].comment, "heartbeat");

  // A change restarts the idle time.
  Pump(100);
  CommitEvents(1);
  Pump(1);
  ASSERT_EQ(s->Events().size(), 3u);
  EXPECT_EQ(s->Events()[2].event, "change");
  Pump(149);
  EXPECT_EQ(s->Events().size(), 3u);
  Pump(1);
  EXPECT_EQ(s->Events().size(), 4u);
  EXPECT_EQ(s->Events()[3].comment, "heartbeat");
}

TEST_F(ChangePumpTest, AClientThatStopsTakingDataIsDroppedWithoutHoldingUpTheOthers) {
  Pump(1);
  auto slow = Open(0);
  auto fast = Open(0);
  slow->refuse = true;
  CommitEvents(3);
  Pump();
  EXPECT_TRUE(slow->closed);
  EXPECT_EQ(slow->writes, 1) << "only its first bytes";
  EXPECT_EQ(fast->ChangeSeqs(), Seqs(1, 3));
  EXPECT_EQ(pump().stream_count(), 1u);
}

TEST_F(ChangePumpTest, ACustomerStreamFollowsTheSurvivorOfAMerge) {
  Pump(1);
  auto s = Open(0, CustomerChangeFilter("A"));
  hub_.CommitEvent("A");  // 1
  hub_.CommitEvent("B");  // 2
  v1::ChangeNotification merge;
  merge.set_kind(v1::CUSTOMERS_MERGED);
  merge.set_customer_id("B");
  merge.set_merged_customer_id("A");
  hub_.Commit(merge);     // 3: A absorbed into B
  hub_.CommitEvent("B");  // 4
  hub_.CommitEvent("C");  // 5
  Pump();
  EXPECT_THAT(s->ChangeSeqs(), ElementsAre(1, 3, 4));
}

TEST_F(ChangePumpTest, StreamsOpenedBeforeTheHubAnswersStartWhenItDoes) {
  hub_.unavailable = true;
  CommitEvents(2);
  Pump(3);
  EXPECT_EQ(pump().last_seq(), 0u);
  auto s = Open(0);
  hub_.unavailable = false;
  Pump(1);
  EXPECT_EQ(pump().last_seq(), 2u);
  CommitEvents(1);
  Pump();
  EXPECT_EQ(s->ChangeSeqs(), Seqs(3, 3));
}

TEST_F(ChangePumpTest, CloseEndsEveryStreamAndLaterOnesAtOnce) {
  Pump(1);
  auto served = Open(0);
  Pump(1);
  auto queued = Open(0);
  pump().Close();
  EXPECT_TRUE(served->closed);
  EXPECT_TRUE(queued->closed);
  auto late = Open(0);
  EXPECT_TRUE(late->closed);
  EXPECT_EQ(late->writes, 0);
}

}  // namespace
}  // namespace omnihub::api::stream
