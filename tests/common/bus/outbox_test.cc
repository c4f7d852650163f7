#include "common/bus/outbox.h"

#include "tests/support/fault_injection_fs.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {
namespace {

using testing::SyncControl;
using testing::WalSyncFileSystem;

class OutboxTest : public ::testing::Test {
 protected:
  OutboxTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-outbox-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    dir_ = root_ + "/outbox";
  }
  ~OutboxTest() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::unique_ptr<bus::Outbox> OpenOutbox(const bus::OutboxOptions& options = {}) {
    auto outbox = bus::Outbox::Open(dir_, "test", random_, options);
    EXPECT_TRUE(outbox.ok()) << outbox.status().ToString();
    return outbox.ok() ? std::move(*outbox) : nullptr;
  }

  // An Env whose WAL syncs go through sync_control_.
  bus::OutboxOptions FaultyOptions() {
    fault_env_ = rocksdb::NewCompositeEnv(std::make_shared<WalSyncFileSystem>(sync_control_));
    bus::OutboxOptions options;
    options.env = fault_env_.get();
    return options;
  }

  static std::vector<bus::OutboxItem> Events(std::initializer_list<std::string> payloads) {
    std::vector<bus::OutboxItem> items;
    for (const std::string& p : payloads) items.push_back({p, std::nullopt});
    return items;
  }

  static v1::BusFrame Parse(const bus::OutboxEntry& entry) {
    v1::BusFrame frame;
    EXPECT_TRUE(frame.ParseFromString(entry.frame_bytes));
    return frame;
  }

  std::string root_;
  std::string dir_;
  base::SeededRandom random_{7};
  SyncControl sync_control_;
  std::unique_ptr<rocksdb::Env> fault_env_;  // outlives every outbox opened by a test body
};

TEST_F(OutboxTest, AppendedEntriesSurviveReopenAsReadyToSendFrames) {
  std::string publisher_id;
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    publisher_id = outbox->publisher_id();
    std::vector<bus::OutboxItem> items = Events({"e1", "e2"});
    v1::Rejected rejected;
    rejected.set_reason("no sender");
    rejected.set_raw("raw bytes");
    rejected.set_source("inject:x.jsonl:3");
    items.push_back({"", rejected});
    auto seqs = outbox->Append(std::move(items));
    ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
    EXPECT_EQ(*seqs, (std::vector<uint64_t>{1, 2, 3}));
  }
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  EXPECT_EQ(outbox->publisher_id(), publisher_id);
  EXPECT_EQ(outbox->last_sequence(), 3u);
  EXPECT_EQ(outbox->pending(), 3u);
  auto entries = outbox->ReadFrom(1, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    v1::BusFrame frame = Parse((*entries)[i]);
    EXPECT_EQ((*entries)[i].sequence, i + 1);
    EXPECT_EQ(frame.sequence(), i + 1);
    EXPECT_EQ(frame.publisher_id(), publisher_id);
    EXPECT_EQ(frame.protocol_version(), static_cast<uint32_t>(v1::BusVersion::CURRENT));
  }
  EXPECT_EQ(Parse((*entries)[1]).event(), "e2");
  v1::BusFrame rejected = Parse((*entries)[2]);
  ASSERT_TRUE(rejected.has_rejected());
  EXPECT_EQ(rejected.rejected().raw(), "raw bytes");
  EXPECT_EQ(rejected.rejected().source(), "inject:x.jsonl:3");
}

TEST_F(OutboxTest, PublisherIdHasThePrefixAndDiffersBetweenOutboxes) {
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  EXPECT_TRUE(outbox->publisher_id().starts_with("test-"));
  EXPECT_EQ(outbox->publisher_id().size(), std::string("test-").size() + 16);
  auto other = bus::Outbox::Open(root_ + "/other", "test", random_);
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->publisher_id(), outbox->publisher_id());
}

TEST_F(OutboxTest, ReopeningWithAnotherPrefixKeepsTheStoredId) {
  std::string id;
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    id = outbox->publisher_id();
  }
  auto reopened = bus::Outbox::Open(dir_, "email", random_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->publisher_id(), id);
}

TEST_F(OutboxTest, ReadFromHonoursTheStartAndTheLimit) {
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  ASSERT_TRUE(outbox->Append(Events({"a", "b", "c", "d", "e"})).ok());
  auto middle = outbox->ReadFrom(2, 2);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 2u);
  EXPECT_EQ((*middle)[0].sequence, 2u);
  EXPECT_EQ((*middle)[1].sequence, 3u);
  auto tail = outbox->ReadFrom(4, 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ(tail->back().sequence, 5u);
  auto beyond = outbox->ReadFrom(6, 100);
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->empty());
  auto none = outbox->ReadFrom(1, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(OutboxTest, TrimDeletesThroughTheAckAndSurvivesReopen) {
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    ASSERT_TRUE(outbox->Append(Events({"1", "2", "3", "4", "5", "6"})).ok());
    ASSERT_TRUE(outbox->Trim(4).ok());
    EXPECT_EQ(outbox->trimmed_through(), 4u);
    EXPECT_EQ(outbox->pending(), 2u);
    auto entries = outbox->ReadFrom(1, 10);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ(entries->front().sequence, 5u);
    EXPECT_TRUE(outbox->Trim(2).ok());  // below what is trimmed: no-op
    EXPECT_EQ(outbox->trimmed_through(), 4u);
  }
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  EXPECT_EQ(outbox->trimmed_through(), 4u);
  EXPECT_EQ(outbox->last_sequence(), 6u);
  EXPECT_EQ(outbox->pending(), 2u);
}

TEST_F(OutboxTest, SequencesContinueAfterEverythingWasTrimmedAndReopened) {
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    ASSERT_TRUE(outbox->Append(Events({"1", "2", "3"})).ok());
    ASSERT_TRUE(outbox->Trim(3).ok());
    EXPECT_EQ(outbox->pending(), 0u);
  }
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  EXPECT_EQ(outbox->last_sequence(), 3u);
  auto seqs = outbox->Append(Events({"4"}));
  ASSERT_TRUE(seqs.ok());
  // Reusing sequence 1 would make the unifier drop the new entry as a duplicate.
  EXPECT_EQ(*seqs, std::vector<uint64_t>{4});
}

TEST_F(OutboxTest, TrimBeyondTheLastSequenceIsRejected) {
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  ASSERT_TRUE(outbox->Append(Events({"1", "2"})).ok());
  base::Status s = outbox->Trim(3);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ(outbox->trimmed_through(), 0u);
}

TEST_F(OutboxTest, ItemWithBothPayloadsIsRejected) {
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  std::vector<bus::OutboxItem> items;
  items.push_back({"event", v1::Rejected()});
  auto seqs = outbox->Append(std::move(items));
  EXPECT_TRUE(seqs.status().IsInvalidArgument());
  EXPECT_EQ(outbox->last_sequence(), 0u);
}

TEST_F(OutboxTest, MetaPutsAreWrittenWithTheAppend) {
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    auto missing = outbox->GetMeta("inject:offset");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
    ASSERT_TRUE(outbox->Append(Events({"x"}), {{"inject:offset", "120"}}).ok());
    ASSERT_TRUE(outbox->Append({}, {{"inject:offset", "240"}}).ok());  // meta alone is fine too
  }
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  auto offset = outbox->GetMeta("inject:offset");
  ASSERT_TRUE(offset.ok());
  ASSERT_TRUE(offset->has_value());
  EXPECT_EQ(**offset, "240");
  EXPECT_EQ(outbox->last_sequence(), 1u);
  // Caller keys live in their own namespace: they cannot shadow the outbox's records.
  auto shadow = outbox->GetMeta(bus::kOutboxPublisherIdKey);
  ASSERT_TRUE(shadow.ok());
  EXPECT_FALSE(shadow->has_value());
}

TEST_F(OutboxTest, MetaDeletesAndTheEventLandTogetherAndScanSeesThePrefixOnly) {
  {
    auto outbox = OpenOutbox();
    ASSERT_NE(outbox, nullptr);
    ASSERT_TRUE(outbox->Append({}, {{"part/a/1", "one"}, {"part/a/2", "two"}, {"part/b/1", "other"}}).ok());
    auto parts = outbox->ScanMeta("part/a/");
    ASSERT_TRUE(parts.ok());
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0], (std::pair<std::string, std::string>("part/a/1", "one")));
    EXPECT_EQ((*parts)[1], (std::pair<std::string, std::string>("part/a/2", "two")));
    // The joined event replaces its parts in one synced batch.
    ASSERT_TRUE(outbox->Append(Events({"joined"}), {{"done/a", "1"}}, {"part/a/1", "part/a/2"}).ok());
  }
  auto outbox = OpenOutbox();
  ASSERT_NE(outbox, nullptr);
  EXPECT_EQ(outbox->last_sequence(), 1u);
  auto gone = outbox->ScanMeta("part/a/");
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
  auto kept = outbox->ScanMeta("part/");
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].first, "part/b/1");
  auto done = outbox->GetMeta("done/a");
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->has_value());
  // Internal records are never part of a scan.
  auto all = outbox->ScanMeta("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(OutboxTest, FailedSyncFailsTheAppendAndTheOutboxStaysFailed) {
  auto outbox = OpenOutbox(FaultyOptions());
  ASSERT_NE(outbox, nullptr);
  ASSERT_TRUE(outbox->Append(Events({"durable"})).ok());

  sync_control_.fail = true;
  auto failed = outbox->Append(Events({"not durable"}), {{"progress", "2"}});
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.status().IsUnavailable()) << failed.status().ToString();
  // Neither the entry nor its meta became visible, so nothing can be acknowledged for it.
  EXPECT_EQ(outbox->last_sequence(), 1u);
  auto progress = outbox->GetMeta("progress");
  ASSERT_TRUE(progress.ok());
  EXPECT_FALSE(progress->has_value());

  // The disk recovers, but the failure is sticky: later appends are refused as well.
  sync_control_.fail = false;
  auto later = outbox->Append(Events({"later"}));
  EXPECT_TRUE(later.status().IsUnavailable()) << later.status().ToString();
  auto meta_only = outbox->Append({}, {{"progress", "3"}});
  EXPECT_TRUE(meta_only.status().IsUnavailable());
  EXPECT_EQ(outbox->last_sequence(), 1u);
  EXPECT_TRUE(outbox->status().IsUnavailable());  // what the adapters' readiness check reports
}

TEST_F(OutboxTest, OldestPendingAgeFollowsAppendsAndTrims) {
  base::ManualClock clock;
  auto outbox = OpenOutbox({.env = nullptr, .clock = &clock});
  ASSERT_NE(outbox, nullptr);
  EXPECT_TRUE(outbox->status().ok());
  EXPECT_EQ(outbox->oldest_pending_age_us(), 0);
  ASSERT_TRUE(outbox->Append(Events({"e1", "e2"})).ok());  // 1, 2 at t0
  clock.Advance(5'000'000);
  ASSERT_TRUE(outbox->Append(Events({"e3"})).ok());  // 3 at t0 + 5 s
  clock.Advance(1'000'000);
  EXPECT_EQ(outbox->oldest_pending_age_us(), 6'000'000);
  ASSERT_TRUE(outbox->Trim(1).ok());  // 2 is still from the first append
  EXPECT_EQ(outbox->oldest_pending_age_us(), 6'000'000);
  ASSERT_TRUE(outbox->Trim(2).ok());
  EXPECT_EQ(outbox->oldest_pending_age_us(), 1'000'000);
  ASSERT_TRUE(outbox->Trim(3).ok());
  EXPECT_EQ(outbox->oldest_pending_age_us(), 0);

  // Entries found at open are counted from the open.
  ASSERT_TRUE(outbox->Append(Events({"e4"})).ok());
  outbox.reset();
  clock.Advance(60'000'000);
  outbox = OpenOutbox({.env = nullptr, .clock = &clock});
  ASSERT_NE(outbox, nullptr);
  clock.Advance(2'000'000);
  EXPECT_EQ(outbox->oldest_pending_age_us(), 2'000'000);
}

TEST_F(OutboxTest, ConcurrentAppendsAreGroupCommittedWithoutGaps) {
  auto outbox = OpenOutbox(FaultyOptions());
  ASSERT_NE(outbox, nullptr);
  sync_control_.sync_delay_us = 1000;
  const int syncs_before = sync_control_.wal_syncs.load();
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 40;
  std::vector<std::vector<uint64_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        // Two items per append: each caller's sequences must also be consecutive.
        auto seqs = outbox->Append(Events({"t" + std::to_string(t), "i" + std::to_string(i)}));
        ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
        ASSERT_EQ(seqs->size(), 2u);
        EXPECT_EQ((*seqs)[1], (*seqs)[0] + 1);
        seen[t].insert(seen[t].end(), seqs->begin(), seqs->end());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<uint64_t> all;
  for (const auto& s : seen) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  constexpr uint64_t kTotal = 2 * kThreads * kAppendsPerThread;
  ASSERT_EQ(all.size(), kTotal);
  for (uint64_t i = 0; i < kTotal; ++i) ASSERT_EQ(all[i], i + 1) << "gap or duplicate";
  EXPECT_EQ(outbox->last_sequence(), kTotal);

  const int syncs = sync_control_.wal_syncs.load() - syncs_before;
  constexpr int kAppends = kThreads * kAppendsPerThread;
  RecordProperty("wal_syncs", syncs);
  EXPECT_LT(syncs, kAppends);
  EXPECT_LT(outbox->synced_batches(), static_cast<uint64_t>(kAppends));
  EXPECT_GE(static_cast<uint64_t>(syncs), outbox->synced_batches());  // every batch was really synced

  // Every entry carries the sequence it was given.
  auto entries = outbox->ReadFrom(1, kTotal);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), kTotal);
  for (const bus::OutboxEntry& entry : *entries) EXPECT_EQ(Parse(entry).sequence(), entry.sequence);
}

TEST_F(OutboxTest, AsyncAppendsArrivingDuringASyncShareTheNextAndCompleteOnlyOnceSynced) {
  auto outbox = OpenOutbox(FaultyOptions());
  ASSERT_NE(outbox, nullptr);
  const int entered_before = sync_control_.syncs_entered.load();
  const int syncs_before = sync_control_.wal_syncs.load();
  sync_control_.Hold();

  std::mutex mu;
  std::vector<std::vector<uint64_t>> done;  // guarded by mu, in completion order
  auto record = [&](base::Result<std::vector<uint64_t>> seqs) {
    ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
    std::lock_guard lock(mu);
    done.push_back(*seqs);
  };
  outbox->AppendAsync(Events({"first"}), {}, {}, record);
  // The committer is inside the first sync, held there.
  while (sync_control_.syncs_entered.load() == entered_before) std::this_thread::yield();
  constexpr int kWaiting = 50;
  for (int i = 0; i < kWaiting; ++i) outbox->AppendAsync(Events({"e" + std::to_string(i), "x"}), {}, {}, record);
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(done.empty()) << "completed before its sync";
  }
  EXPECT_EQ(outbox->last_sequence(), 0u);  // nothing is readable for sending yet

  sync_control_.Release();
  outbox->WaitIdle();
  std::lock_guard lock(mu);
  ASSERT_EQ(done.size(), 1u + kWaiting);
  EXPECT_EQ(done[0], std::vector<uint64_t>{1});
  for (int i = 0; i < kWaiting; ++i) {
    // In the order of the calls, each one's items consecutive.
    EXPECT_EQ(done[1 + i], (std::vector<uint64_t>{2u + 2u * i, 3u + 2u * i}));
  }
  EXPECT_EQ(outbox->last_sequence(), 1u + 2u * kWaiting);
  EXPECT_EQ(sync_control_.wal_syncs.load() - syncs_before, 2) << "the 50 waiting appends share one sync";
}

TEST_F(OutboxTest, AsyncAppendsFailWhenTheirSyncFails) {
  auto outbox = OpenOutbox(FaultyOptions());
  ASSERT_NE(outbox, nullptr);
  sync_control_.fail = true;
  std::optional<base::Status> seen;
  outbox->AppendAsync(Events({"lost"}), {{"k", "v"}}, {}, [&](base::Result<std::vector<uint64_t>> seqs) {
    seen = seqs.status();
  });
  outbox->WaitIdle();
  ASSERT_TRUE(seen.has_value());
  EXPECT_TRUE(seen->IsUnavailable()) << seen->ToString();
  EXPECT_EQ(outbox->last_sequence(), 0u);
  // An invalid append is refused on the caller's thread, before anything is queued.
  bus::OutboxItem both{"event", v1::Rejected()};
  std::optional<base::Status> refused;
  outbox->AppendAsync({both}, {}, {}, [&](base::Result<std::vector<uint64_t>> seqs) { refused = seqs.status(); });
  ASSERT_TRUE(refused.has_value());
  EXPECT_TRUE(refused->IsInvalidArgument()) << refused->ToString();
}

constexpr int64_t kHourUs = 3'600'000'000;

TEST_F(OutboxTest, AcknowledgedEntriesAreKeptForTheWindowThenTrimmed) {
  base::ManualClock clock;
  bus::OutboxOptions options;
  options.clock = &clock;
  options.keep_acked_us = 24 * kHourUs;
  auto outbox = OpenOutbox(options);
  ASSERT_TRUE(outbox->Append(Events({"a", "b", "c"})).ok());
  ASSERT_TRUE(outbox->Trim(2).ok());
  EXPECT_EQ(outbox->acked_through(), 2u);
  EXPECT_EQ(outbox->trimmed_through(), 0u);
  EXPECT_EQ(outbox->pending(), 1u);
  EXPECT_EQ(outbox->kept_acked(), 2u);
  auto kept = outbox->ReadFrom(1, 10);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 3u);  // acknowledged ones can be sent again

  // Kept across a reopen, with their ack time.
  outbox.reset();
  clock.Advance(23 * kHourUs);
  outbox = OpenOutbox(options);
  EXPECT_EQ(outbox->acked_through(), 2u);
  EXPECT_EQ(outbox->trimmed_through(), 0u);

  // Past the window (and its one-minute grouping) the next ack trims them.
  clock.Advance(kHourUs + 61'000'000);
  ASSERT_TRUE(outbox->Trim(3).ok());
  EXPECT_EQ(outbox->trimmed_through(), 2u);
  EXPECT_EQ(outbox->acked_through(), 3u);
  kept = outbox->ReadFrom(1, 10);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].sequence, 3u);

  // Reopened without a window, everything acknowledged goes at once.
  outbox.reset();
  outbox = OpenOutbox({.clock = &clock});
  EXPECT_EQ(outbox->trimmed_through(), 3u);
  EXPECT_EQ(outbox->kept_acked(), 0u);
}

TEST_F(OutboxTest, AnOutboxFromBeforeRetentionOpensWithItsAcksTrimmed) {
  auto old = OpenOutbox();  // no window: as every outbox wrote before retention
  ASSERT_TRUE(old->Append(Events({"a", "b"})).ok());
  ASSERT_TRUE(old->Trim(1).ok());
  old.reset();
  base::ManualClock clock;
  auto outbox = OpenOutbox({.clock = &clock, .keep_acked_us = 24 * kHourUs});
  EXPECT_EQ(outbox->trimmed_through(), 1u);
  EXPECT_EQ(outbox->acked_through(), 1u);
  EXPECT_EQ(outbox->pending(), 1u);
}

TEST_F(OutboxTest, CompactDropsAcknowledgedEntriesKeptForTheWindow) {
  base::ManualClock clock;
  auto outbox = OpenOutbox({.clock = &clock, .keep_acked_us = 24 * kHourUs});
  ASSERT_TRUE(outbox->Append(Events({"a", "b", "c"})).ok());
  ASSERT_TRUE(outbox->Trim(2).ok());
  ASSERT_TRUE(outbox->Compact().ok());
  EXPECT_EQ(outbox->trimmed_through(), 2u);
  auto kept = outbox->ReadFrom(1, 10);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 1u);
}

}  // namespace
}  // namespace omnihub::bus
