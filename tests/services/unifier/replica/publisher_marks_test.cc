// PublisherMarks: a contiguous mark plus the sequences applied above it (each with its
// partition_prev); staged marks become committed only on Commit; a publisher whose sequences
// are spread over several partitions is chained by partition_prev and raised by acked_floor;
// the stored encoding round-trips, reads version 1 and refuses an unknown version.
#include <gtest/gtest.h>

#include "common/base/coding.h"
#include "services/unifier/replica/publisher_marks.h"

namespace omnihub::unifier::replica {
namespace {

// A frame of a publisher that sends everything to one partition (no partition_prev).
FrameOrder Seq(uint64_t sequence) { return FrameOrder{.sequence = sequence, .prev = sequence - 1, .floor = 0}; }
FrameOrder Chained(uint64_t sequence, uint64_t prev, uint64_t floor = 0) {
  return FrameOrder{.sequence = sequence, .prev = prev, .floor = floor};
}

// Stages `order` and says whether it was to be applied.
bool StageApplied(PublisherMarks& marks, const std::string& publisher, const FrameOrder& order) {
  bool apply = false;
  marks.Stage(publisher, order, &apply);
  return apply;
}

TEST(PublisherMarksTest, SequencesAboveAHoleAreHeldUntilItFills) {
  PublisherMarks marks;
  EXPECT_TRUE(StageApplied(marks, "p", Seq(1)));
  EXPECT_TRUE(StageApplied(marks, "p", Seq(3)));
  EXPECT_TRUE(StageApplied(marks, "p", Seq(4)));
  EXPECT_TRUE(marks.Applied("p", 3));
  EXPECT_FALSE(marks.Applied("p", 2));
  EXPECT_EQ(marks.CumulativeAck("p"), 0u);  // nothing committed yet
  marks.Commit();
  EXPECT_EQ(marks.CumulativeAck("p"), 1u);
  bool apply = false;
  const PublisherMark* filled = marks.Stage("p", Seq(2), &apply);
  ASSERT_NE(filled, nullptr);
  EXPECT_TRUE(apply);
  EXPECT_EQ(filled->contiguous, 4u);
  EXPECT_TRUE(filled->above.empty());
  marks.Abort();  // the batch with 2 failed
  EXPECT_FALSE(marks.Applied("p", 2));
  EXPECT_EQ(marks.CumulativeAck("p"), 1u);
  EXPECT_TRUE(StageApplied(marks, "p", Seq(2)));
  marks.Commit();
  EXPECT_EQ(marks.CumulativeAck("p"), 4u);
  EXPECT_EQ(marks.CumulativeAck("other"), 0u);
}

TEST(PublisherMarksTest, ADuplicateIsNotAppliedAndChangesNothing) {
  PublisherMarks marks;
  EXPECT_TRUE(StageApplied(marks, "p", Seq(1)));
  EXPECT_TRUE(StageApplied(marks, "p", Seq(3)));
  marks.Commit();
  bool apply = true;
  EXPECT_EQ(marks.Stage("p", Seq(1), &apply), nullptr);  // nothing to store
  EXPECT_FALSE(apply);
  EXPECT_EQ(marks.Stage("p", Seq(3), &apply), nullptr);
  EXPECT_FALSE(apply);
}

// One publisher, sequences 1..8 spread over partitions A (1, 2, 5, 8) and B (3, 4, 6, 7):
// each partition's replica sees only its own, chained by partition_prev.
TEST(PublisherMarksTest, APartitionsMarkMovesOverTheSequencesThatWentElsewhere) {
  PublisherMarks a;
  EXPECT_TRUE(StageApplied(a, "p", Chained(1, 0)));
  EXPECT_TRUE(StageApplied(a, "p", Chained(2, 1)));
  EXPECT_TRUE(StageApplied(a, "p", Chained(5, 2)));
  a.Commit();
  EXPECT_EQ(a.CumulativeAck("p"), 5u);  // 3 and 4 went to B: A has all it was sent through 5
  EXPECT_FALSE(a.Applied("p", 8));
  EXPECT_TRUE(StageApplied(a, "p", Chained(8, 5)));
  a.Commit();
  EXPECT_EQ(a.CumulativeAck("p"), 8u);

  PublisherMarks b;
  // Reordered by a resend: 6 and 7 arrive before 4 (and 3 is not there yet).
  EXPECT_TRUE(StageApplied(b, "p", Chained(6, 4)));
  EXPECT_TRUE(StageApplied(b, "p", Chained(7, 6)));
  b.Commit();
  EXPECT_EQ(b.CumulativeAck("p"), 0u);  // 3 (prev 0) is missing
  EXPECT_TRUE(StageApplied(b, "p", Chained(3, 0)));
  b.Commit();
  EXPECT_EQ(b.CumulativeAck("p"), 3u);  // 4 is still missing: 6 and 7 wait above it
  EXPECT_TRUE(b.Applied("p", 6));
  EXPECT_FALSE(b.Applied("p", 4));
  EXPECT_TRUE(StageApplied(b, "p", Chained(4, 3)));
  b.Commit();
  EXPECT_EQ(b.CumulativeAck("p"), 7u);
  // The resends of 6 and 3 are duplicates.
  EXPECT_FALSE(StageApplied(b, "p", Chained(6, 4)));
  EXPECT_FALSE(StageApplied(b, "p", Chained(3, 0)));
}

TEST(PublisherMarksTest, TheAckedFloorRaisesTheMarkEvenOnADuplicate) {
  // B applied 3 and 4 (its only ones so far); the sender, restarted with everything through
  // 10 acknowledged, sends 12 with partition_prev = acked_floor = 10.
  PublisherMarks b;
  EXPECT_TRUE(StageApplied(b, "p", Chained(3, 0)));
  EXPECT_TRUE(StageApplied(b, "p", Chained(4, 3)));
  b.Commit();
  EXPECT_EQ(b.CumulativeAck("p"), 4u);
  EXPECT_TRUE(StageApplied(b, "p", Chained(12, 10, 10)));
  b.Commit();
  EXPECT_EQ(b.CumulativeAck("p"), 12u);

  // A frame at or below the floor is a duplicate, but the floor it carries still counts (and
  // is stored: the mark changed), also for a sequence waiting above.
  PublisherMarks c;
  EXPECT_TRUE(StageApplied(c, "p", Chained(9, 8)));
  c.Commit();
  bool apply = true;
  const PublisherMark* raised = c.Stage("p", Chained(5, 4, 8), &apply);
  EXPECT_FALSE(apply);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->contiguous, 9u);
  EXPECT_TRUE(raised->above.empty());
  c.Commit();
  EXPECT_EQ(c.CumulativeAck("p"), 9u);
}

TEST(PublisherMarksTest, TheMarkIsAFunctionOfTheFramesNotOfHowTheyAreBatched) {
  const std::vector<FrameOrder> frames = {Chained(2, 1), Chained(7, 5, 1), Chained(1, 0), Chained(5, 2),
                                          Chained(9, 7, 2), Chained(5, 2), Chained(12, 9, 7)};
  PublisherMarks one_batch;
  for (const FrameOrder& f : frames) StageApplied(one_batch, "p", f);
  one_batch.Commit();
  PublisherMarks per_frame;
  for (const FrameOrder& f : frames) {
    StageApplied(per_frame, "p", f);
    per_frame.Commit();
  }
  EXPECT_EQ(one_batch.CumulativeAck("p"), 12u);
  EXPECT_EQ(per_frame.CumulativeAck("p"), one_batch.CumulativeAck("p"));
}

TEST(PublisherMarksTest, TheEncodingRoundTripsAndIsVersioned) {
  PublisherMark mark;
  mark.Add(Seq(1));
  mark.Add(Seq(2));
  mark.Add(Seq(5));
  mark.Add(Chained(9, 7));
  const std::string bytes = EncodeMark(mark);
  EXPECT_EQ(bytes[0], '\x02');
  auto decoded = DecodeMark(bytes, "p");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, mark);
  EXPECT_EQ(decoded->contiguous, 2u);
  EXPECT_EQ(decoded->above.at(9), 7u);

  std::string newer = bytes;
  newer[0] = '\x03';
  auto refused = DecodeMark(newer, "email-1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("email-1"), std::string::npos);
  EXPECT_FALSE(DecodeMark(bytes.substr(0, bytes.size() - 3), "p").ok());
  EXPECT_FALSE(DecodeMark(bytes.substr(0, bytes.size() - 8), "p").ok());  // half an entry short
}

TEST(PublisherMarksTest, AVersion1MarkReadsAsSequencesEachAfterTheOneBefore) {
  // As the build before partition_prev wrote it: contiguous 2, applied above it 5 and 6.
  std::string v1(1, '\x01');
  base::PutFixed64BE(&v1, 2);
  base::PutFixed64BE(&v1, 2);
  base::PutFixed64BE(&v1, 5);
  base::PutFixed64BE(&v1, 6);
  auto decoded = DecodeMark(v1, "p");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->contiguous, 2u);
  EXPECT_EQ(decoded->above, (std::map<uint64_t, uint64_t>{{5, 4}, {6, 5}}));
  EXPECT_FALSE(DecodeMark(v1.substr(0, v1.size() - 1), "p").ok());
  // It goes on as before: 3 and 4 fill the hole and the mark runs through 6.
  decoded->Add(Seq(3));
  EXPECT_EQ(decoded->contiguous, 3u);
  decoded->Add(Seq(4));
  EXPECT_EQ(decoded->contiguous, 6u);
}

}  // namespace
}  // namespace omnihub::unifier::replica
