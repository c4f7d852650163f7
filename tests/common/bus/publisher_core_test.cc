#include "common/bus/publisher_core.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/outbox.h"
#include "common/bus/publisher_metrics.h"
#include "common/service/metrics.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {
namespace {

constexpr int64_t kTimeoutUs = 2'000'000;

class PublisherCoreTest : public ::testing::Test {
 protected:
  PublisherCoreTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-pubcore-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    Reopen();
  }
  ~PublisherCoreTest() override {
    outbox_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Reopen(const bus::OutboxOptions& options = {}) {
    outbox_.reset();
    auto outbox = bus::Outbox::Open(dir_ + "/outbox", "test", random_, options);
    ASSERT_TRUE(outbox.ok()) << outbox.status().ToString();
    outbox_ = std::move(*outbox);
  }

  std::unique_ptr<bus::PublisherCore> MakeCore(uint32_t window = 4096) {
    return std::make_unique<bus::PublisherCore>(*outbox_, clock_, bus::PublisherOptions{window, kTimeoutUs});
  }

  void AppendEvents(int n) {
    std::vector<bus::OutboxItem> items;
    for (int i = 0; i < n; ++i) items.push_back({"event", std::nullopt});
    ASSERT_TRUE(outbox_->Append(std::move(items)).ok());
  }

  v1::Ack MakeAck(uint64_t cumulative, uint32_t credit = 1000, bool resend = false) {
    v1::Ack ack;
    ack.set_protocol_version(v1::BusVersion::CURRENT);
    ack.set_publisher_id(outbox_->publisher_id());
    ack.set_cumulative_ack(cumulative);
    ack.set_credit(credit);
    ack.set_resend(resend);
    return ack;
  }

  // The sequences TakeFramesToSend releases now.
  static std::vector<uint64_t> Take(bus::PublisherCore& core, size_t max_batch = 1000) {
    auto frames = core.TakeFramesToSend(max_batch);
    EXPECT_TRUE(frames.ok()) << frames.status().ToString();
    std::vector<uint64_t> seqs;
    if (!frames.ok()) return seqs;
    for (const bus::OutboxEntry& entry : *frames) {
      v1::BusFrame frame;
      EXPECT_TRUE(frame.ParseFromString(entry.frame_bytes));
      EXPECT_EQ(frame.sequence(), entry.sequence);
      seqs.push_back(entry.sequence);
    }
    return seqs;
  }

  static std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
    std::vector<uint64_t> seqs;
    for (uint64_t s = first; s <= last; ++s) seqs.push_back(s);
    return seqs;
  }

  std::string dir_;
  base::SeededRandom random_{3};
  base::ManualClock clock_;
  std::unique_ptr<bus::Outbox> outbox_;
};

TEST_F(PublisherCoreTest, SendsNothingWhenTheOutboxIsEmpty) {
  auto core = MakeCore();
  EXPECT_TRUE(Take(*core).empty());
  EXPECT_TRUE(core->AllAcked());
}

TEST_F(PublisherCoreTest, InFlightFramesNeverExceedTheWindow) {
  auto core = MakeCore(/*window=*/4);
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 4));
  EXPECT_TRUE(Take(*core).empty());
  core->OnAck(MakeAck(2, /*credit=*/1000));
  EXPECT_EQ(Take(*core), Range(5, 6));
  EXPECT_TRUE(Take(*core).empty());
}

TEST_F(PublisherCoreTest, MaxBatchSplitsWhatTheWindowAllows) {
  auto core = MakeCore(/*window=*/10);
  AppendEvents(10);
  EXPECT_EQ(Take(*core, 3), Range(1, 3));
  EXPECT_EQ(Take(*core, 3), Range(4, 6));
  EXPECT_EQ(Take(*core, 100), Range(7, 10));
}

TEST_F(PublisherCoreTest, CreditBelowTheWindowBoundsInFlightFrames) {
  auto core = MakeCore(/*window=*/100);
  AppendEvents(10);
  EXPECT_EQ(Take(*core, 1), Range(1, 1));
  core->OnAck(MakeAck(1, /*credit=*/3));
  EXPECT_EQ(Take(*core), Range(2, 4));
  EXPECT_TRUE(Take(*core).empty());
  // The same cumulative ack with new credit opens the window again.
  core->OnAck(MakeAck(1, /*credit=*/5));
  EXPECT_EQ(Take(*core), Range(5, 6));
}

TEST_F(PublisherCoreTest, AckTrimsTheOutbox) {
  auto core = MakeCore();
  AppendEvents(5);
  EXPECT_EQ(Take(*core), Range(1, 5));
  core->OnAck(MakeAck(3));
  EXPECT_EQ(core->acked(), 3u);
  EXPECT_EQ(outbox_->trimmed_through(), 3u);
  EXPECT_EQ(outbox_->pending(), 2u);
  EXPECT_FALSE(core->AllAcked());
  core->OnAck(MakeAck(5));
  EXPECT_TRUE(core->AllAcked());
  EXPECT_EQ(outbox_->pending(), 0u);
}

TEST_F(PublisherCoreTest, ResendsEverythingUnackedAfterTheTimeout) {
  auto core = MakeCore();
  AppendEvents(5);
  EXPECT_EQ(Take(*core), Range(1, 5));
  core->OnAck(MakeAck(2));
  clock_.Advance(kTimeoutUs - 1);
  core->OnTick();
  EXPECT_TRUE(Take(*core).empty());
  clock_.Advance(1);
  core->OnTick();
  EXPECT_EQ(Take(*core), Range(3, 5));
  // The timeout starts over: no second resend right away.
  core->OnTick();
  EXPECT_TRUE(Take(*core).empty());
}

TEST_F(PublisherCoreTest, AckProgressRestartsTheTimeout) {
  auto core = MakeCore();
  AppendEvents(5);
  EXPECT_EQ(Take(*core), Range(1, 5));
  clock_.Advance(kTimeoutUs - 10);
  core->OnAck(MakeAck(1));
  clock_.Advance(kTimeoutUs - 10);
  core->OnTick();
  EXPECT_TRUE(Take(*core).empty());
  clock_.Advance(10);
  core->OnTick();
  EXPECT_EQ(Take(*core), Range(2, 5));
}

TEST_F(PublisherCoreTest, TimeoutRunsFromTheFirstFrameSentAfterAnIdlePeriod) {
  auto core = MakeCore();
  clock_.Advance(10 * kTimeoutUs);  // idle: nothing to send
  AppendEvents(2);
  EXPECT_EQ(Take(*core), Range(1, 2));
  core->OnTick();
  EXPECT_TRUE(Take(*core).empty()) << "an old idle period must not count as waiting for an ack";
}

TEST_F(PublisherCoreTest, ResendRequestRewindsToTheAckedSequence) {
  auto core = MakeCore();
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 10));
  core->OnAck(MakeAck(3, 1000, /*resend=*/true));
  EXPECT_EQ(Take(*core), Range(4, 10));
}

TEST_F(PublisherCoreTest, RepeatedResendRequestsForTheSameAckRewindOncePerTimeout) {
  auto core = MakeCore();
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 10));
  core->OnAck(MakeAck(3, 1000, true));
  EXPECT_EQ(Take(*core), Range(4, 10));
  // Requests caused by frames that were in flight behind the gap.
  core->OnAck(MakeAck(3, 1000, true));
  core->OnAck(MakeAck(3, 1000, true));
  EXPECT_TRUE(Take(*core).empty());
  clock_.Advance(kTimeoutUs);
  core->OnAck(MakeAck(3, 1000, true));
  EXPECT_EQ(Take(*core), Range(4, 10));
}

TEST_F(PublisherCoreTest, ResendRequestForANewAckRewindsAtOnce) {
  auto core = MakeCore();
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 10));
  core->OnAck(MakeAck(3, 1000, true));
  EXPECT_EQ(Take(*core), Range(4, 10));
  core->OnAck(MakeAck(6, 1000, true));
  EXPECT_EQ(Take(*core), Range(7, 10));
}

TEST_F(PublisherCoreTest, ReconnectRewindsAndForgetsTheOldCredit) {
  auto core = MakeCore(/*window=*/8);
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 8));
  core->OnAck(MakeAck(2, /*credit=*/2));
  EXPECT_TRUE(Take(*core).empty());
  core->OnReconnect();
  EXPECT_EQ(Take(*core), Range(3, 10));
  EXPECT_EQ(core->credit(), 8u);
}

TEST_F(PublisherCoreTest, UnsentFramesAreOfferedAgain) {
  auto core = MakeCore();
  AppendEvents(6);
  EXPECT_EQ(Take(*core), Range(1, 6));
  core->Unsent(4);  // 4..6 did not go out
  EXPECT_EQ(Take(*core), Range(4, 6));
  core->Unsent(100);  // never taken: ignored
  EXPECT_TRUE(Take(*core).empty());
}

TEST_F(PublisherCoreTest, AcksForAnotherPublisherOrVersionAreIgnored) {
  auto core = MakeCore();
  AppendEvents(4);
  EXPECT_EQ(Take(*core), Range(1, 4));
  v1::Ack foreign = MakeAck(4);
  foreign.set_publisher_id("email-0000000000000000");
  core->OnAck(foreign);
  v1::Ack unversioned = MakeAck(4);
  unversioned.set_protocol_version(0);
  core->OnAck(unversioned);
  EXPECT_EQ(core->acked(), 0u);
  EXPECT_EQ(outbox_->pending(), 4u);
}

TEST_F(PublisherCoreTest, StaleAcksAreIgnored) {
  auto core = MakeCore(/*window=*/100);
  AppendEvents(10);
  EXPECT_EQ(Take(*core), Range(1, 10));
  core->OnAck(MakeAck(5, /*credit=*/100));
  core->OnAck(MakeAck(3, /*credit=*/0, /*resend=*/true));  // overtaken, e.g. reordered across a reconnect
  EXPECT_EQ(core->acked(), 5u);
  EXPECT_EQ(core->credit(), 100u);
  EXPECT_TRUE(Take(*core).empty()) << "a stale resend request must not rewind";
}

TEST_F(PublisherCoreTest, AcksBeyondTheLastSequenceAreIgnored) {
  auto core = MakeCore();
  AppendEvents(3);
  EXPECT_EQ(Take(*core), Range(1, 3));
  core->OnAck(MakeAck(7));
  EXPECT_EQ(core->acked(), 0u);
  EXPECT_EQ(outbox_->pending(), 3u);
}

TEST_F(PublisherCoreTest, ZeroCreditIsProbedAfterTheTimeout) {
  auto core = MakeCore();
  AppendEvents(3);
  EXPECT_EQ(Take(*core, 1), Range(1, 1));
  core->OnAck(MakeAck(1, /*credit=*/0));
  EXPECT_TRUE(Take(*core).empty());
  clock_.Advance(kTimeoutUs);
  core->OnTick();
  // One frame goes out so that the unifier answers with its current credit.
  EXPECT_EQ(Take(*core), Range(2, 2));
  EXPECT_TRUE(Take(*core).empty());
  core->OnAck(MakeAck(2, /*credit=*/10));
  EXPECT_EQ(Take(*core), Range(3, 3));
}

TEST_F(PublisherCoreTest, RestartResumesAfterWhatWasTrimmed) {
  AppendEvents(6);
  ASSERT_TRUE(outbox_->Trim(4).ok());
  Reopen();
  auto core = MakeCore();
  EXPECT_EQ(core->acked(), 4u);
  EXPECT_EQ(Take(*core), Range(5, 6));
}

TEST_F(PublisherCoreTest, EntriesAppendedLaterBecomeSendable) {
  auto core = MakeCore();
  AppendEvents(2);
  EXPECT_EQ(Take(*core), Range(1, 2));
  AppendEvents(2);
  EXPECT_EQ(Take(*core), Range(3, 4));
  core->OnAck(MakeAck(4));
  EXPECT_TRUE(core->AllAcked());
}

TEST_F(PublisherCoreTest, AckLatencyRunsFromEachFramesFirstSend) {
  service::Registry registry;
  bus::PublisherMetrics metrics(registry);
  bus::PublisherCore core(*outbox_, clock_, bus::PublisherOptions{4096, kTimeoutUs, &metrics});
  AppendEvents(2);
  EXPECT_EQ(Take(core), Range(1, 2));  // sent at t0
  clock_.Advance(100'000);
  AppendEvents(1);
  EXPECT_EQ(Take(core), Range(3, 3));  // sent at t0 + 0.1 s
  clock_.Advance(200'000);
  core.OnAck(MakeAck(1));  // 1 after 0.3 s
  clock_.Advance(100'000);
  core.OnAck(MakeAck(3));  // 2 after 0.4 s, 3 after 0.3 s
  const service::Histogram::Snapshot h = metrics.ack_latency.Read();
  EXPECT_EQ(h.cumulative.back(), 3u);
  EXPECT_DOUBLE_EQ(h.sum, 0.3 + 0.4 + 0.3);
  EXPECT_EQ(metrics.acked.value(), 3u);
}

TEST_F(PublisherCoreTest, ResentFramesKeepTheirFirstSendTimeAndResendsAreCounted) {
  service::Registry registry;
  bus::PublisherMetrics metrics(registry);
  bus::PublisherCore core(*outbox_, clock_, bus::PublisherOptions{4096, kTimeoutUs, &metrics});
  AppendEvents(2);
  EXPECT_EQ(Take(core), Range(1, 2));
  clock_.Advance(kTimeoutUs);
  core.OnTick();  // ack timeout: resend 1..2
  EXPECT_EQ(Take(core), Range(1, 2));
  core.OnAck(MakeAck(1, 1000, /*resend=*/true));  // the unifier saw a gap after 1
  EXPECT_EQ(Take(core), Range(2, 2));
  core.OnReconnect();  // nothing in flight beyond 2: counted
  core.OnAck(MakeAck(2));
  core.OnReconnect();  // nothing in flight: not a resend
  EXPECT_EQ(metrics.resends.With({"ack_timeout"}).value(), 1u);
  EXPECT_EQ(metrics.resends.With({"resend_requested"}).value(), 1u);
  EXPECT_EQ(metrics.resends.With({"reconnected"}).value(), 1u);
  EXPECT_EQ(metrics.resend_requests.value(), 1u);
  const service::Histogram::Snapshot h = metrics.ack_latency.Read();
  EXPECT_EQ(h.cumulative.back(), 2u);
  EXPECT_DOUBLE_EQ(h.sum, 2.0 * kTimeoutUs / 1e6);
}

TEST_F(PublisherCoreTest, ResendRequestBelowTheAckResendsWhatTheOutboxKept) {
  // A unifier restored from a backup has an older mark than the publisher saw acknowledged.
  Reopen({.clock = &clock_, .keep_acked_us = 3'600'000'000});
  AppendEvents(10);
  auto core = MakeCore();
  EXPECT_EQ(Take(*core), Range(1, 10));
  core->OnAck(MakeAck(10));
  EXPECT_EQ(core->acked(), 10u);
  EXPECT_EQ(outbox_->acked_through(), 10u);
  AppendEvents(2);
  EXPECT_EQ(Take(*core), Range(11, 12));
  core->OnAck(MakeAck(4, 1000, /*resend=*/true));  // the restored unifier has 1..4
  EXPECT_EQ(core->acked(), 4u);
  EXPECT_EQ(Take(*core), Range(5, 12));
  // A burst of the same request while they travel does not rewind again.
  core->OnAck(MakeAck(4, 1000, true));
  EXPECT_EQ(Take(*core), std::vector<uint64_t>{});
  core->OnAck(MakeAck(12));
  EXPECT_TRUE(core->AllAcked());
  EXPECT_EQ(outbox_->acked_through(), 12u);
}

TEST_F(PublisherCoreTest, RestartedPublisherStartsAfterTheAckNotAfterWhatIsKept) {
  Reopen({.clock = &clock_, .keep_acked_us = 3'600'000'000});
  AppendEvents(5);
  auto core = MakeCore();
  Take(*core);
  core->OnAck(MakeAck(3));
  core.reset();
  Reopen({.clock = &clock_, .keep_acked_us = 3'600'000'000});
  core = MakeCore();
  EXPECT_EQ(core->acked(), 3u);
  EXPECT_EQ(Take(*core), Range(4, 5));
  core->OnAck(MakeAck(0, 1000, true));  // then a unifier restored to before everything
  EXPECT_EQ(Take(*core), Range(1, 5));
}

TEST_F(PublisherCoreTest, ReconnectSendsTheLastAcknowledgedEntryFirstWhenItIsKept) {
  Reopen({.clock = &clock_, .keep_acked_us = 3'600'000'000});
  AppendEvents(3);
  auto core = MakeCore();
  Take(*core);
  core->OnAck(MakeAck(3));
  core->OnReconnect();
  EXPECT_EQ(Take(*core), std::vector<uint64_t>{3});  // nothing new, but the probe goes out
  core->OnAck(MakeAck(3));                           // a unifier that has it
  EXPECT_EQ(Take(*core), std::vector<uint64_t>{});
  EXPECT_TRUE(core->AllAcked());
}

TEST_F(PublisherCoreTest, ResendRequestBelowWhatTheOutboxKeptIsIgnored) {
  AppendEvents(5);  // no window: acknowledged entries are deleted at once
  auto core = MakeCore();
  Take(*core);
  core->OnAck(MakeAck(5));
  core->OnAck(MakeAck(2, 1000, true));
  EXPECT_EQ(core->acked(), 5u);
  EXPECT_EQ(Take(*core), std::vector<uint64_t>{});
}

}  // namespace
}  // namespace omnihub::bus
