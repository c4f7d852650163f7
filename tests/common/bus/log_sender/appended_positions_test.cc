// AppendedPositions: where a writer's entries went in the partition log, the highest of them,
// and what it answers when it cannot know (not yet recorded, forgotten, several partitions).
#include "common/bus/log_sender/appended_positions.h"

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace omnihub::bus {
namespace {

using std::chrono::milliseconds;

void ExpectPosition(const std::optional<ReadPosition>& got, uint32_t partition, uint64_t position) {
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->partition, partition);
  EXPECT_EQ(got->position, position);
}

TEST(AppendedPositionsTest, AnswersTheHighestPositionOfTheWritersEntries) {
  AppendedPositions positions;
  positions.Record(3, {1, 40});
  positions.Record(4, {1, 38});  // parallel appends land out of order
  positions.Record(5, {1, 41});
  const std::vector<uint64_t> entries{3, 4};
  ExpectPosition(positions.WaitFor(entries, milliseconds(0)), 1, 40);
  const std::vector<uint64_t> one{5};
  ExpectPosition(positions.WaitFor(one, milliseconds(0)), 1, 41);
}

TEST(AppendedPositionsTest, TheFirstPositionOfAResentEntryStays) {
  AppendedPositions positions;
  positions.Record(7, {0, 100});
  positions.Record(7, {0, 250});  // a resend after the dedup window, dropped by the replicas
  const std::vector<uint64_t> entry{7};
  ExpectPosition(positions.WaitFor(entry, milliseconds(0)), 0, 100);
}

TEST(AppendedPositionsTest, AnEntryNotInTheLogYetHasNoPosition) {
  AppendedPositions positions;
  positions.Record(1, {0, 1});
  const std::vector<uint64_t> entries{1, 2};
  EXPECT_FALSE(positions.WaitFor(entries, milliseconds(0)).has_value());
  EXPECT_FALSE(positions.WaitFor({}, milliseconds(0)).has_value());
}

TEST(AppendedPositionsTest, AWaitingWriterIsWokenByTheRecord) {
  AppendedPositions positions;
  std::thread sender([&] { positions.Record(9, {2, 77}); });
  const std::vector<uint64_t> entry{9};
  // The wait bounds the test only: the record wakes the writer long before.
  const std::optional<ReadPosition> got = positions.WaitFor(entry, milliseconds(60'000));
  sender.join();
  ExpectPosition(got, 2, 77);
}

TEST(AppendedPositionsTest, EntriesOnSeveralPartitionsHaveNoSingleToken) {
  AppendedPositions positions;
  positions.Record(1, {0, 5});
  positions.Record(2, {1, 6});
  const std::vector<uint64_t> entries{1, 2};
  EXPECT_FALSE(positions.WaitFor(entries, milliseconds(0)).has_value());
}

TEST(AppendedPositionsTest, OnlyTheMostRecentEntriesAreKept) {
  AppendedPositions positions(/*capacity=*/2);
  positions.Record(1, {0, 1});
  positions.Record(2, {0, 2});
  positions.Record(3, {0, 3});
  const std::vector<uint64_t> forgotten{1};
  // Forgotten is answered at once, not after the wait.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(positions.WaitFor(forgotten, milliseconds(60'000)).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  positions.Record(1, {0, 9});  // a late resend of a forgotten entry is not taken back
  EXPECT_FALSE(positions.WaitFor(forgotten, milliseconds(0)).has_value());
  const std::vector<uint64_t> kept{2, 3};
  ExpectPosition(positions.WaitFor(kept, milliseconds(0)), 0, 3);
}

}  // namespace
}  // namespace omnihub::bus
