#include "common/bus/sequence_tracker.h"

#include <gtest/gtest.h>

namespace omnihub::bus {
namespace {

using Disposition = bus::SequenceTracker::Disposition;

class SequenceTrackerTest : public ::testing::Test {
 protected:
  base::ManualClock clock_;
  bus::SequenceTracker tracker_{clock_, /*resend_request_interval_us=*/500'000};
};

TEST_F(SequenceTrackerTest, UnknownPublisherStartsAtOne) {
  EXPECT_EQ(tracker_.committed("email-1"), 0u);
  EXPECT_EQ(tracker_.Classify("email-1", 1), Disposition::kNext);
  EXPECT_EQ(tracker_.Classify("email-1", 2), Disposition::kGap);
  EXPECT_EQ(tracker_.Classify("email-1", 0), Disposition::kDuplicate);
}

TEST_F(SequenceTrackerTest, ClassifiesAgainstTheLoadedHighWater) {
  tracker_.Load("sms-1", 10);
  EXPECT_EQ(tracker_.Classify("sms-1", 11), Disposition::kNext);
  EXPECT_EQ(tracker_.Classify("sms-1", 10), Disposition::kDuplicate);
  EXPECT_EQ(tracker_.Classify("sms-1", 3), Disposition::kDuplicate);
  EXPECT_EQ(tracker_.Classify("sms-1", 12), Disposition::kGap);
  EXPECT_EQ(tracker_.committed("sms-1"), 10u);
}

TEST_F(SequenceTrackerTest, StagedAdvancesCountBeforeTheCommit) {
  tracker_.Load("a", 5);
  tracker_.Stage("a", 6);
  tracker_.Stage("a", 7);
  EXPECT_EQ(tracker_.Classify("a", 7), Disposition::kDuplicate);  // a resend within the same batch
  EXPECT_EQ(tracker_.Classify("a", 8), Disposition::kNext);
  EXPECT_EQ(tracker_.committed("a"), 5u);
  EXPECT_EQ(tracker_.effective("a"), 7u);
  EXPECT_EQ(tracker_.staged(), (std::map<std::string, uint64_t>{{"a", 7}}));
}

TEST_F(SequenceTrackerTest, CommitMakesStagedMarksCommittedAndReturnsThem) {
  tracker_.Load("a", 5);
  tracker_.Stage("a", 6);
  tracker_.Stage("b", 1);
  auto advanced = tracker_.Commit();
  EXPECT_EQ(advanced, (std::map<std::string, uint64_t>{{"a", 6}, {"b", 1}}));
  EXPECT_TRUE(tracker_.staged().empty());
  EXPECT_EQ(tracker_.committed("a"), 6u);
  EXPECT_EQ(tracker_.committed("b"), 1u);
  EXPECT_EQ(tracker_.all_committed(), (std::map<std::string, uint64_t>{{"a", 6}, {"b", 1}}));
  EXPECT_TRUE(tracker_.Commit().empty());
}

TEST_F(SequenceTrackerTest, AbortDropsStagedAdvances) {
  tracker_.Load("a", 5);
  tracker_.Stage("a", 6);
  tracker_.Stage("c", 1);
  tracker_.Abort();
  EXPECT_TRUE(tracker_.staged().empty());
  EXPECT_EQ(tracker_.committed("a"), 5u);
  // The resent frames are taken again.
  EXPECT_EQ(tracker_.Classify("a", 6), Disposition::kNext);
  EXPECT_EQ(tracker_.Classify("c", 1), Disposition::kNext);
}

TEST_F(SequenceTrackerTest, ResendRequestsAreRateLimitedPerPublisherAndHighWater) {
  tracker_.Load("a", 5);
  tracker_.Load("b", 5);
  EXPECT_TRUE(tracker_.ShouldRequestResend("a"));
  EXPECT_FALSE(tracker_.ShouldRequestResend("a"));
  EXPECT_TRUE(tracker_.ShouldRequestResend("b")) << "each publisher has its own limit";
  clock_.Advance(499'999);
  EXPECT_FALSE(tracker_.ShouldRequestResend("a"));
  clock_.Advance(1);
  EXPECT_TRUE(tracker_.ShouldRequestResend("a"));
  // Progress means a new gap: ask again at once.
  tracker_.Stage("a", 6);
  EXPECT_TRUE(tracker_.ShouldRequestResend("a"));
  EXPECT_FALSE(tracker_.ShouldRequestResend("a"));
}

}  // namespace
}  // namespace omnihub::bus
