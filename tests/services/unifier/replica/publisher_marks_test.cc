// PublisherMarks: a contiguous mark plus the sequences applied above it; staged marks become
// committed only on Commit; the stored encoding round-trips and refuses an unknown version.
#include <gtest/gtest.h>

#include "services/unifier/replica/publisher_marks.h"

namespace omnihub::unifier::replica {
namespace {

TEST(PublisherMarksTest, SequencesAboveAHoleAreHeldUntilItFills) {
  PublisherMarks marks;
  marks.Stage("p", 1);
  marks.Stage("p", 3);
  marks.Stage("p", 4);
  EXPECT_TRUE(marks.Applied("p", 3));
  EXPECT_FALSE(marks.Applied("p", 2));
  EXPECT_EQ(marks.CumulativeAck("p"), 0u);  // nothing committed yet
  marks.Commit();
  EXPECT_EQ(marks.CumulativeAck("p"), 1u);
  const PublisherMark& filled = marks.Stage("p", 2);
  EXPECT_EQ(filled.contiguous, 4u);
  EXPECT_TRUE(filled.above.empty());
  marks.Abort();  // the batch with 2 failed
  EXPECT_FALSE(marks.Applied("p", 2));
  EXPECT_EQ(marks.CumulativeAck("p"), 1u);
  marks.Stage("p", 2);
  marks.Commit();
  EXPECT_EQ(marks.CumulativeAck("p"), 4u);
  EXPECT_EQ(marks.CumulativeAck("other"), 0u);
}

TEST(PublisherMarksTest, TheEncodingRoundTripsAndIsVersioned) {
  PublisherMark mark;
  mark.Add(1);
  mark.Add(2);
  mark.Add(5);
  mark.Add(9);
  const std::string bytes = EncodeMark(mark);
  EXPECT_EQ(bytes[0], '\x01');
  auto decoded = DecodeMark(bytes, "p");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, mark);
  EXPECT_EQ(decoded->contiguous, 2u);

  std::string newer = bytes;
  newer[0] = '\x02';
  auto refused = DecodeMark(newer, "email-1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("email-1"), std::string::npos);
  EXPECT_FALSE(DecodeMark(bytes.substr(0, bytes.size() - 3), "p").ok());
}

}  // namespace
}  // namespace omnihub::unifier::replica
