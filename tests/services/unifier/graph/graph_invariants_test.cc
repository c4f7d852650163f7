// Random sequences of events, links, unlinks, merges and splits (a fixed seed, so every run
// is the same sequence) against the invariants the graph must keep whatever happens: each
// identity is listed by the one live customer it points at, each live customer's event count
// and timeline are exactly its identities' events, no event is lost or shown twice, a merged
// id resolves to a live customer, and a merge split at once gives the same map back.
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "services/unifier/graph/graph_state.h"
#include "tests/services/unifier/graph/graph_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::GraphHarness;

class GraphInvariantsTest : public ::testing::TestWithParam<unsigned> {
 protected:
  // identity key -> customer id, for every identity.
  std::map<std::string, std::string> Assignments() {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        store().db()->NewIterator(rocksdb::ReadOptions(), store().identities()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::IdentityRecord rec;
      if (!DecodeValue(std::string_view(it->value().data(), it->value().size()), &rec).ok() ||
          rec.identity_id() == 0) {
        continue;  // a handle index entry
      }
      out[it->key().ToString()] = rec.customer_id();
    }
    return out;
  }

  void CheckInvariants(uint64_t events_sent) {
    std::map<std::string, std::set<std::string>> listed_by;  // customer -> identity keys pointing at it
    for (const auto& [key, customer] : Assignments()) listed_by[customer].insert(key);
    uint64_t on_timelines = 0;
    std::set<std::string> seen_events;
    std::unique_ptr<rocksdb::Iterator> it(store().db()->NewIterator(rocksdb::ReadOptions(), store().customers()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::CustomerRecord c;
      ASSERT_TRUE(DecodeValue(std::string_view(it->value().data(), it->value().size()), &c).ok());
      if (!c.merged_into().empty()) {
        EXPECT_EQ(c.identity_ids_size(), 0) << c.customer_id();
        EXPECT_TRUE(listed_by[c.customer_id()].empty()) << c.customer_id();
        EXPECT_TRUE(g_.Customer(GraphHarness::ById(c.customer_id())).merged_into().empty());
        continue;
      }
      std::set<std::string> keys;
      uint64_t events = 0;
      ASSERT_EQ(c.identity_ids_size(), c.identities_size());
      for (int i = 0; i < c.identities_size(); ++i) {
        keys.insert(event::IdentityKey(c.identities(i)));
        auto n = CountTimeline(store(), c.identity_ids(i), nullptr);
        ASSERT_TRUE(n.ok());
        events += *n;
      }
      EXPECT_EQ(keys, listed_by[c.customer_id()]) << c.customer_id();
      EXPECT_EQ(c.event_count(), events) << c.customer_id();
      const auto timeline = g_.Timeline(c.customer_id());
      EXPECT_EQ(timeline.size(), events) << c.customer_id();
      for (const auto& id : timeline) EXPECT_TRUE(seen_events.insert(id).second) << "an event shown twice";
      on_timelines += timeline.size();
    }
    EXPECT_EQ(on_timelines, events_sent);
  }

  Store& store() { return g_.harness().store(); }

  GraphHarness g_;
};

TEST_P(GraphInvariantsTest, RandomOperationsKeepTheGraphWhole) {
  std::mt19937 rng(GetParam());
  std::vector<v1::Identity> pool;
  for (int i = 0; i < 12; ++i) pool.push_back(testing::Phone("+1415555" + std::to_string(1000 + i)));
  for (int i = 0; i < 12; ++i) pool.push_back(testing::Email("p" + std::to_string(i) + "@example.com"));
  std::vector<v1::Identity> seen;
  std::vector<std::string> open_merges;
  uint64_t events = 0;
  int applied = 0;
  auto pick = [&](const std::vector<v1::Identity>& from) { return from[rng() % from.size()]; };

  for (int step = 0; step < 400; ++step) {
    const unsigned op = rng() % 10;
    if (seen.size() < 4 || op < 4) {
      const v1::Identity who = pick(pool);
      g_.Event(who.kind() == v1::Identity::PHONE ? v1::SMS : v1::EMAIL, who);
      seen.push_back(who);
      ++events;
    } else if (op == 4) {
      applied += g_.Link(GraphHarness::ByIdentity(pick(seen)), pick(pool)).applied();
    } else if (op == 5) {
      applied += g_.Unlink(pick(seen)).applied();
    } else if (op <= 7) {
      const std::string survivor = g_.CustomerId(pick(seen));
      const std::string other = g_.CustomerId(pick(seen));
      if (survivor == other) continue;
      const auto before = Assignments();
      const v1::CommandResult merged = g_.Merge(survivor, other);
      ASSERT_TRUE(merged.applied()) << merged.error_message();
      ++applied;
      if (rng() % 4 == 0) {  // undone at once: the same map as before
        ASSERT_TRUE(g_.Split(merged.merge_id()).applied());
        EXPECT_EQ(Assignments(), before) << "step " << step << ": "
                                         << g_.MergeRecord(merged.merge_id()).ShortDebugString();
      } else {
        open_merges.push_back(merged.merge_id());
      }
    } else if (!open_merges.empty()) {
      const size_t i = rng() % open_merges.size();
      const v1::CommandResult split = g_.Split(open_merges[i]);
      EXPECT_TRUE(split.applied()) << split.error_message();
      applied += split.applied();
      open_merges.erase(open_merges.begin() + static_cast<long>(i));
    }
    if (step % 25 == 24) {
      SCOPED_TRACE("step " + std::to_string(step));
      CheckInvariants(events);
    }
  }
  CheckInvariants(events);
  EXPECT_GT(applied, 60);  // the sequence did exercise the commands
}

INSTANTIATE_TEST_SUITE_P(Seeds, GraphInvariantsTest, ::testing::Values(20261203u, 7u, 1234u, 99u));

}  // namespace
}  // namespace omnihub::unifier
