// The partition log contract on the in-memory log: message ids, dedup, ordered reading
// from a position, and the continuity checks that stop a replica on a rewound or
// recreated log. The NATS implementation runs the same kinds of cases against real
// servers in tests/common/bus/nats/.
#include "common/bus/partition_log.h"

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/bus/memory_partition_log.h"

namespace omnihub::bus {
namespace {

using std::chrono::milliseconds;

std::string Id(uint32_t partition, uint64_t sequence) {
  return LogMessageId{.publisher_id = "email-0123456789abcdef", .partition = partition, .sequence = sequence}
      .ToString();
}

TEST(LogMessageIdTest, RoundTripsThroughText) {
  EXPECT_EQ(Id(3, 1042), "email-0123456789abcdef/3/1042");
  auto id = ParseLogMessageId("sms-00ff/12/7");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, (LogMessageId{.publisher_id = "sms-00ff", .partition = 12, .sequence = 7}));
}

TEST(LogMessageIdTest, MalformedIdsSayWhatIsWrong) {
  for (const char* bad : {"", "a/1", "/1/2", "a/b/1/2x", "a/x/1", "a/1/0", "a/1/-3", "a/+1/2", "a//1"}) {
    auto id = ParseLogMessageId(bad);
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_TRUE(id.status().IsInvalidArgument()) << bad;
    EXPECT_NE(id.status().message().find("log message id"), std::string::npos) << id.status().message();
  }
}

TEST(MemoryPartitionLogTest, AppendsInOrderAndDropsADuplicateId) {
  MemoryPartitionLog log(2);
  auto first = log.Append(1, Id(1, 1), "a");
  auto second = log.Append(1, Id(1, 2), "b");
  auto again = log.Append(1, Id(1, 1), "a");
  ASSERT_TRUE(first.ok() && second.ok() && again.ok());
  EXPECT_EQ(first->position, 1u);
  EXPECT_EQ(second->position, 2u);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->position, 1u);
  EXPECT_EQ(log.State(1).last_position, 2u);
  EXPECT_EQ(log.State(0).last_position, 0u);

  auto reader = log.OpenReader(1, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto records = (*reader)->Read(10, milliseconds(0));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].frame, "a");
  EXPECT_EQ((*records)[1].message_id, Id(1, 2));
  EXPECT_EQ((*reader)->next_position(), 3u);
}

TEST(MemoryPartitionLogTest, RefusesBadArguments) {
  MemoryPartitionLog log(2);
  auto out_of_range = log.Append(2, Id(2, 1), "x");
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.status().message().find("partition 2 does not exist"), std::string::npos);
  auto mismatched = log.Append(0, Id(1, 1), "x");
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.status().message().find("names partition 1"), std::string::npos);
  EXPECT_FALSE(log.OpenReader(5, {}).ok());
}

TEST(MemoryPartitionLogTest, ReaderStartsAtTheGivenPositionAndWaitsForMore) {
  MemoryPartitionLog log(1);
  for (uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(log.Append(0, Id(0, i), "f" + std::to_string(i)).ok());
  auto reader = log.OpenReader(0, {.next_position = 4, .created_ns = log.State(0).created_ns});
  ASSERT_TRUE(reader.ok());
  auto records = (*reader)->Read(1, milliseconds(0));
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].position, 4u);

  // A Read that finds nothing waits for the next append rather than spinning.
  ASSERT_TRUE((*reader)->Read(10, milliseconds(0)).ok());
  std::thread appender([&] { ASSERT_TRUE(log.Append(0, Id(0, 6), "f6").ok()); });
  auto later = (*reader)->Read(10, milliseconds(10'000));
  appender.join();
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].frame, "f6");
}

TEST(MemoryPartitionLogTest, RecreatedLogStopsTheReader) {
  MemoryPartitionLog log(1);
  ASSERT_TRUE(log.Append(0, Id(0, 1), "a").ok());
  auto reader = log.OpenReader(0, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Read(10, milliseconds(0)).ok());
  const int64_t followed = (*reader)->created_ns();

  log.Recreate(0);
  ASSERT_TRUE(log.Append(0, Id(0, 2), "b").ok());
  ASSERT_TRUE(log.Append(0, Id(0, 3), "c").ok());
  auto records = (*reader)->Read(10, milliseconds(0));
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(records.status().message().find("was recreated"), std::string::npos) << records.status().message();

  // A replica restarting with what it stored is refused too.
  auto reopened = log.OpenReader(0, {.next_position = 2, .created_ns = followed});
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.status().message().find("rebuild it from a peer's checkpoint"), std::string::npos);
}

TEST(MemoryPartitionLogTest, RewoundLogStopsTheReader) {
  MemoryPartitionLog log(1);
  for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(0, Id(0, i), "x").ok());
  auto reader = log.OpenReader(0, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ((*reader)->Read(10, milliseconds(0))->size(), 3u);
  log.Rewind(0, 1);
  // Taken for a leader catching up at first (Unavailable, read again), for a rewind once every
  // check in a row says so; a log that is whole again in between starts the count over.
  for (int check = 1; check < LogContinuity::kRewindChecks; ++check) {
    auto records = (*reader)->Read(10, milliseconds(0));
    ASSERT_TRUE(records.status().IsUnavailable()) << check << ": " << records.status().ToString();
  }
  auto records = (*reader)->Read(10, milliseconds(0));
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(records.status().message().find("was rewound"), std::string::npos) << records.status().message();
}

TEST(MemoryPartitionLogTest, UnreachableLogIsUnavailableAndRecovers) {
  MemoryPartitionLog log(1);
  log.SetUnreachable(true);
  EXPECT_TRUE(log.Append(0, Id(0, 1), "x").status().IsUnavailable());
  log.SetUnreachable(false);
  EXPECT_TRUE(log.Append(0, Id(0, 1), "x").ok());
}

TEST(LogContinuityTest, PositionsOnlyGoForward) {
  LogContinuity continuity("stream OMNI_P00", {.next_position = 5, .created_ns = 7});
  EXPECT_TRUE(continuity.Accept(5).ok());
  EXPECT_TRUE(continuity.Accept(9).ok());  // a gap: deleted messages
  EXPECT_EQ(continuity.next_position(), 10u);
  auto backwards = continuity.Accept(9);
  ASSERT_FALSE(backwards.ok());
  EXPECT_NE(backwards.message().find("went backwards: position 9 came after 9"), std::string::npos)
      << backwards.message();
}

TEST(LogContinuityTest, ALogThatNoLongerHoldsTheNextPositionIsRefused) {
  LogContinuity continuity("stream OMNI_P01", {.next_position = 5, .created_ns = 7});
  EXPECT_TRUE(continuity.CheckState({.created_ns = 7, .first_position = 5, .last_position = 9}).ok());
  // Positions 5..7 were dropped while this replica had not applied them.
  auto gone = continuity.CheckState({.created_ns = 7, .first_position = 8, .last_position = 9});
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.message().find("no longer holds position 5"), std::string::npos) << gone.message();
  // Everything was applied and then purged: nothing is missing.
  EXPECT_TRUE(continuity.CheckState({.created_ns = 7, .first_position = 5, .last_position = 4}).ok());
}

TEST(LogContinuityTest, AnEndBelowWhatWasReadIsARewindOnlyWhenItLasts) {
  LogContinuity continuity("stream OMNI_P01", {.next_position = 11, .created_ns = 7});
  // A new leader still applying what the old one committed says 6 for a while.
  for (int check = 1; check < LogContinuity::kRewindChecks; ++check) {
    auto behind = continuity.CheckState({.created_ns = 7, .first_position = 1, .last_position = 6});
    ASSERT_TRUE(behind.IsUnavailable()) << behind.ToString();
    EXPECT_NE(behind.message().find("below position 10 already read"), std::string::npos) << behind.message();
  }
  // Caught up: the count starts over.
  EXPECT_TRUE(continuity.CheckState({.created_ns = 7, .first_position = 1, .last_position = 12}).ok());
  EXPECT_TRUE(continuity.CheckState({.created_ns = 7, .first_position = 1, .last_position = 6}).IsUnavailable());
}

TEST(LogContinuityTest, AReplicaWithNothingAppliedTakesTheLogItFinds) {
  LogContinuity continuity("stream OMNI_P02", {});
  EXPECT_TRUE(continuity.CheckState({.created_ns = 42, .first_position = 0, .last_position = 0}).ok());
  EXPECT_EQ(continuity.created_ns(), 42);
  EXPECT_FALSE(continuity.CheckState({.created_ns = 43, .first_position = 0, .last_position = 0}).ok());
}

}  // namespace
}  // namespace omnihub::bus
