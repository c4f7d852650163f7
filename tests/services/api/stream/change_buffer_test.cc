// The in-memory ring of the newest changes: found by seq while held, forgotten oldest first.
#include <gtest/gtest.h>

#include "services/api/stream/change_buffer.h"
#include "services/api/stream/sse_format.h"

namespace omnihub::api::stream {
namespace {

v1::ChangeNotification Change(uint64_t seq) {
  v1::ChangeNotification c;
  c.set_change_seq(seq);
  c.set_kind(v1::DEAD_LETTERED);
  c.set_dead_letter_id(seq);
  return c;
}

TEST(ChangeBufferTest, HoldsTheNewestChangesWithTheirFrames) {
  ChangeBuffer buffer(3);
  buffer.Reset(10);
  EXPECT_EQ(buffer.first_seq(), 11u);
  EXPECT_EQ(buffer.last_seq(), 10u);
  EXPECT_EQ(buffer.Find(10), nullptr);
  for (uint64_t seq = 11; seq <= 14; ++seq) buffer.Append(Change(seq));
  EXPECT_EQ(buffer.size(), 3u);
  EXPECT_EQ(buffer.first_seq(), 12u);
  EXPECT_EQ(buffer.last_seq(), 14u);
  EXPECT_EQ(buffer.Find(11), nullptr);
  EXPECT_EQ(buffer.Find(15), nullptr);
  const BufferedChange* b = buffer.Find(13);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->change.dead_letter_id(), 13u);
  EXPECT_EQ(b->frame, SseChangeFrame(Change(13)));
}

TEST(ChangeBufferTest, AJumpInSequenceStartsOverRatherThanHoldAGap) {
  ChangeBuffer buffer(8);
  buffer.Reset(0);
  buffer.Append(Change(1));
  buffer.Append(Change(5));
  EXPECT_EQ(buffer.first_seq(), 5u);
  EXPECT_EQ(buffer.Find(1), nullptr);
  ASSERT_NE(buffer.Find(5), nullptr);
}

}  // namespace
}  // namespace omnihub::api::stream
