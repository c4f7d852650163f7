// Where a replica's batches end and which checkpoint its state is at: every `every` positions,
// also when the checkpoint's own position was deleted from the stream.
#include <gtest/gtest.h>

#include <limits>

#include "services/unifier/replica/digest_checkpoints.h"

namespace omnihub::unifier::replica {
namespace {

TEST(DigestCheckpointsTest, ABatchEndsAtTheNextCheckpoint) {
  EXPECT_EQ(BatchLimit(0, 1000), 1000u);
  EXPECT_EQ(BatchLimit(999, 1000), 1000u);
  EXPECT_EQ(BatchLimit(1000, 1000), 2000u);
  EXPECT_EQ(BatchLimit(1000, 0), std::numeric_limits<uint64_t>::max());
}

TEST(DigestCheckpointsTest, TheStateIsAtACheckpointWhenNothingPastItIsApplied) {
  EXPECT_EQ(CheckpointReached(1000, std::nullopt, 1000), 1000u);
  EXPECT_EQ(CheckpointReached(1000, 1001, 1000), 1000u);
  EXPECT_EQ(CheckpointReached(999, std::nullopt, 1000), std::nullopt);  // 1000 may still come
  EXPECT_EQ(CheckpointReached(999, 1000, 1000), std::nullopt);
  EXPECT_EQ(CheckpointReached(1001, std::nullopt, 1000), std::nullopt);  // past it
  EXPECT_EQ(CheckpointReached(0, std::nullopt, 1000), std::nullopt);
  EXPECT_EQ(CheckpointReached(1000, std::nullopt, 0), std::nullopt);
}

TEST(DigestCheckpointsTest, ADeletedCheckpointIsReachedWhenTheFrameAfterItIsRead) {
  // 1000 was deleted: after 999, the next frame is 1001.
  EXPECT_EQ(CheckpointReached(999, 1001, 1000), 1000u);
  // Positions 999 to 3500 deleted: the state after 998 is that of checkpoints 1000 to 3000;
  // the last one names it.
  EXPECT_EQ(CheckpointReached(998, 3501, 1000), 3000u);
  EXPECT_EQ(BatchLimit(3000, 1000), 4000u);
}

}  // namespace
}  // namespace omnihub::unifier::replica
