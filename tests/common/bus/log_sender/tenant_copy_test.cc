// Copying a tenant's frames to another partition (tenant_copy.h) on MemoryPartitionLog:
// only the tenant's frames, in order, as the move publisher with the old positions as
// sequences and a partition_prev chain; copied twice, nothing is added; resumed with the
// same progress, only what came since.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/bus/log_sender/tenant_copy.h"
#include "common/bus/memory_partition_log.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"
#include "tests/support/tenant_event_frame.h"

namespace omnihub::bus {
namespace {

void Append(MemoryPartitionLog& log, const std::string& tenant, const std::string& text, uint64_t sequence) {
  ASSERT_TRUE(log.Append(0, LogMessageId{"email-1", 0, sequence}.ToString(),
                         omnihub::testing::TenantEventFrame(tenant, text, sequence))
                  .ok());
}

struct Copy {
  uint64_t position;
  std::string message_id;
  v1::BusFrame frame;
  std::string text;
};

std::vector<Copy> Partition(MemoryPartitionLog& log, uint32_t partition) {
  auto reader = log.OpenReader(partition, LogReadStart{});
  EXPECT_TRUE(reader.ok());
  auto records = (*reader)->Read(1000, std::chrono::milliseconds(0));
  EXPECT_TRUE(records.ok());
  std::vector<Copy> out;
  for (const LogRecord& r : *records) {
    Copy c{r.position, r.message_id, {}, {}};
    EXPECT_TRUE(c.frame.ParseFromString(r.frame));
    v1::Event event;
    EXPECT_TRUE(event.ParseFromString(c.frame.event()));
    c.text = event.text();
    out.push_back(std::move(c));
  }
  return out;
}

TEST(TenantCopyTest, OnlyTheTenantsFramesInOrderAsTheMovePublisher) {
  MemoryPartitionLog log(2);
  Append(log, "", "d1", 1);
  Append(log, "acme", "a1", 2);
  Append(log, "globex", "g1", 3);
  Append(log, "acme", "a2", 4);
  Append(log, "", "d2", 5);
  ASSERT_TRUE(
      log.Append(1, LogMessageId{"sms-1", 1, 1}.ToString(), omnihub::testing::TenantEventFrame("acme", "new on 1", 1))
          .ok());

  TenantCopyProgress progress;
  ASSERT_TRUE(CopyTenantFrames(log, log, "acme", 0, 1, 5, progress, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(progress.next_position, 6u);
  EXPECT_EQ(progress.frames_read, 5u);
  EXPECT_EQ(progress.frames_copied, 2u);
  EXPECT_EQ(progress.already_there, 0u);
  EXPECT_EQ(progress.last_copied, 4u);

  const auto copies = Partition(log, 1);
  ASSERT_EQ(copies.size(), 3u);
  EXPECT_EQ(copies[1].text, "a1");
  EXPECT_EQ(copies[2].text, "a2");
  EXPECT_EQ(TenantMovePublisherId("acme", 0), "move-acme-from-p00");
  EXPECT_EQ(copies[1].message_id, "move-acme-from-p00/1/2");
  EXPECT_EQ(copies[1].frame.publisher_id(), "move-acme-from-p00");
  EXPECT_EQ(copies[1].frame.sequence(), 2u);
  EXPECT_EQ(copies[1].frame.partition_prev(), 0u);  // nothing of the mover before it
  EXPECT_EQ(copies[2].frame.sequence(), 4u);
  EXPECT_EQ(copies[2].frame.partition_prev(), 2u);  // nothing between 2 and 4 went to partition 1
  EXPECT_EQ(copies[2].frame.acked_floor(), 0u);

  // The default tenant by its name.
  TenantCopyProgress defaults;
  ASSERT_TRUE(CopyTenantFrames(log, log, "default", 0, 1, 5, defaults, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(defaults.frames_copied, 2u);
}

TEST(TenantCopyTest, CopiedTwiceAddsNothingAndResumingCopiesOnlyWhatCame) {
  MemoryPartitionLog log(2);
  Append(log, "acme", "a1", 1);
  Append(log, "", "d1", 2);
  TenantCopyProgress first;
  ASSERT_TRUE(CopyTenantFrames(log, log, "acme", 0, 1, 2, first, std::chrono::milliseconds(0)).ok());
  TenantCopyProgress again;
  ASSERT_TRUE(CopyTenantFrames(log, log, "acme", 0, 1, 2, again, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(again.frames_copied, 1u);
  EXPECT_EQ(again.already_there, 1u);
  EXPECT_EQ(Partition(log, 1).size(), 1u);

  Append(log, "acme", "a2", 3);
  Append(log, "acme", "a3", 4);
  // Up to 3 only: 4 came after the copy began.
  ASSERT_TRUE(CopyTenantFrames(log, log, "acme", 0, 1, 3, first, std::chrono::milliseconds(0)).ok());
  auto copies = Partition(log, 1);
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[1].text, "a2");
  EXPECT_EQ(copies[1].frame.partition_prev(), 1u);
  EXPECT_EQ(first.next_position, 4u);
  EXPECT_EQ(first.frames_copied, 2u);
}

TEST(TenantCopyTest, ACopyToItsOwnPartitionIsRefused) {
  MemoryPartitionLog log(2);
  TenantCopyProgress progress;
  const base::Status s = CopyTenantFrames(log, log, "acme", 1, 1, 10, progress, std::chrono::milliseconds(0));
  EXPECT_EQ(s.code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "the tenant is on partition 1 already");
}

}  // namespace
}  // namespace omnihub::bus
