// The EventSink contract, checked on OutboxEventSink over a real outbox: events and adapter
// state become durable together or not at all.
#include "common/bus/outbox_event_sink.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_outbox.h"

namespace omnihub::bus {
namespace {

std::vector<OutboxItem> Event(const std::string& bytes) {
  std::vector<OutboxItem> items(1);
  items[0].event_bytes = bytes;
  return items;
}

TEST(OutboxEventSinkTest, EventsAndStateChangesAreDurableTogether) {
  testing::TestOutbox box;
  ASSERT_TRUE(box.sink().Append({}, {{"part/1", "a"}, {"part/2", "b"}}, {}).ok());
  auto seqs = box.sink().Append(Event("joined"), {{"done/1", "x"}}, {"part/1", "part/2"});
  ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
  EXPECT_EQ(*seqs, std::vector<uint64_t>{1});
  box.Reopen();
  auto frames = box.Frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].event(), "joined");
  EXPECT_EQ(box.Meta("done/1"), "x");
  EXPECT_EQ(box.Meta("part/1"), std::nullopt);
  EXPECT_EQ(box.Meta("part/2"), std::nullopt);
}

TEST(OutboxEventSinkTest, FailedSyncAppendsNothingAndChangesNoStateNorLaterAppends) {
  testing::TestOutbox box;
  ASSERT_TRUE(box.sink().Append({}, {{"part/1", "a"}}, {}).ok());
  box.sync().fail = true;
  auto seqs = box.sink().Append(Event("joined"), {{"done/1", "x"}}, {"part/1"});
  EXPECT_TRUE(seqs.status().IsUnavailable()) << seqs.status().ToString();
  box.sync().fail = false;
  EXPECT_TRUE(box.sink().Append(Event("later"), {}, {}).status().IsUnavailable());  // failed for good
  EXPECT_EQ(box.outbox().last_sequence(), 0u);
  EXPECT_EQ(box.Meta("done/1"), std::nullopt);
  EXPECT_EQ(box.Meta("part/1"), "a");
  // After a restart the batch whose sync failed may be there (it reached the log; only the
  // sync failed) or not, but never in part.
  box.Reopen();
  const bool found = box.outbox().last_sequence() == 1;
  EXPECT_EQ(box.Meta("done/1").has_value(), found);
  EXPECT_EQ(box.Meta("part/1").has_value(), !found);
}

}  // namespace
}  // namespace omnihub::bus
