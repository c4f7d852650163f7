// The registry entry's JSON (the contract of OMNI_REPLICAS) and the divergence check: only a
// peer's digest at the same position of the same stream incarnation counts.
#include <gtest/gtest.h>

#include "services/unifier/replica/divergence.h"

namespace omnihub::unifier::replica {
namespace {

ReplicaEntry Entry(std::string id, uint64_t position, std::string digest) {
  ReplicaEntry e;
  e.replica_id = std::move(id);
  e.partition = 3;
  e.query_endpoint = "tcp://10.0.0.5:5557";
  e.admin_url = "http://10.0.0.5:9101";
  e.applied_position = position;
  e.stream_created_ns = 77;
  e.digest_position = position;
  e.digest = std::move(digest);
  e.updated_ms = 1'780'000'000'000;
  return e;
}

TEST(ReplicaEntryTest, TheJsonHasTheContractsFieldsAndRoundTrips) {
  const ReplicaEntry e = Entry("db1", 120, std::string(64, 'a'));
  EXPECT_EQ(ReplicaKey(3, "db1"), "p03.db1");
  const std::string json = EncodeEntry(e);
  EXPECT_EQ(json,
            "{\"replica_id\":\"db1\",\"partition\":3,\"query_endpoint\":\"tcp://10.0.0.5:5557\","
            "\"admin_url\":\"http://10.0.0.5:9101\",\"applied_position\":120,\"stream_created_ns\":77,"
            "\"digest_position\":120,\"digest\":\"" +
                std::string(64, 'a') + "\",\"updated_ms\":1780000000000}");
  auto decoded = DecodeEntry("p03.db1", json);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, e);
  auto bad = DecodeEntry("p03.x", "{\"replica_id\":1}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("p03.x"), std::string::npos);
}

DigestHistory HistoryOf(const ReplicaEntry& own) {
  DigestHistory history;
  history.Record(own.digest_position, own.digest);
  return history;
}

TEST(DivergenceTest, OnlyADifferentDigestAtTheSamePositionOfTheSameStreamCounts) {
  const ReplicaEntry own = Entry("db1", 120, "aaaa");
  const DigestHistory history = HistoryOf(own);
  EXPECT_FALSE(FindDivergence(own, history, {own, Entry("db2", 120, "aaaa"), Entry("db3", 119, "cccc")}));
  ReplicaEntry other_stream = Entry("db4", 120, "dddd");
  other_stream.stream_created_ns = 78;
  EXPECT_FALSE(FindDivergence(own, history, {other_stream}));
  EXPECT_FALSE(FindDivergence(own, DigestHistory(), {Entry("db2", 120, "bbbb")}));  // none of its own yet
  EXPECT_FALSE(FindDivergence(own, history, {Entry("db2", 0, "")}));

  auto found = FindDivergence(own, history, {Entry("db2", 120, "aaaa"), Entry("db3", 120, "bbbb")});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->Describe("db1"),
            "replica db1 diverged from replica db3 at position 120: digest aaaa here, bbbb there");
}

TEST(DivergenceTest, APeerBehindIsComparedWithThisReplicasEarlierDigest) {
  // Under load db1 is at checkpoint 3000 while db2 still publishes 2000.
  DigestHistory history(2);
  history.Record(1000, "a1");
  history.Record(2000, "a2");
  history.Record(3000, "a3");
  const ReplicaEntry own = Entry("db1", 3000, "a3");
  EXPECT_FALSE(FindDivergence(own, history, {Entry("db2", 2000, "a2")}));
  auto found = FindDivergence(own, history, {Entry("db2", 2000, "b2")});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->position, 2000u);
  EXPECT_EQ(found->own_digest, "a2");
  // Older than what it keeps: nothing to compare with.
  EXPECT_EQ(history.At(1000), nullptr);
  EXPECT_FALSE(FindDivergence(own, history, {Entry("db2", 1000, "b1")}));
}

}  // namespace
}  // namespace omnihub::unifier::replica
