// The replica registry in the OMNI_REPLICAS key-value bucket of a real nats-server: entries put
// before the watch are loaded by it, later ones arrive, an unreadable one is left out, a
// deleted one leaves, and a directory fed by the watch tells live replicas from entries older
// than 3 s; and ReadKeyValueBucket, which the watch reads the bucket with.
#include "common/bus/nats/nats_replica_registry.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/bus/nats/jetstream_requests.h"
#include "common/bus/nats/nats_kv.h"
#include "tests/support/nats_solo_test.h"

namespace omnihub::bus::nats {
namespace {

class NatsReplicaRegistryTest : public testing::NatsSoloTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(NatsSoloTest::SetUp());
    auto registry = NatsReplicaRegistry::Open(*connection_, 1);
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(*registry);
  }

  ReplicaEntry Entry(const std::string& id, uint64_t applied, int64_t updated_ms) {
    return ReplicaEntry{.replica_id = id,
                        .partition = 0,
                        .query_endpoint = "tcp://127.0.0.1:7" + id.substr(1),
                        .applied_position = applied,
                        .updated_ms = updated_ms};
  }

  // Waits (real time, up to 5 s) until `done` holds.
  template <typename Done>
  bool WaitFor(Done done) {
    for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done();
  }

  base::ManualClock clock_{1'800'000'000'000'000};
  const int64_t now_ms_ = 1'800'000'000'000;
  ReplicaDirectory directory_{clock_};
  std::unique_ptr<NatsReplicaRegistry> registry_;
};

TEST_F(NatsReplicaRegistryTest, TheWatchLoadsTheEntriesAndFollowsChanges) {
  ASSERT_TRUE(registry_->Put(Entry("r1", 10, now_ms_)).ok());
  ASSERT_TRUE(registry_->Put(Entry("r2", 12, now_ms_ - 3500)).ok());  // down: older than 3 s
  ASSERT_TRUE(registry_->Watch(directory_).ok());
  // Loaded before Watch returns.
  ASSERT_EQ(directory_.All(0).size(), 2u);
  auto live = directory_.Live(0);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].replica_id, "r1");
  EXPECT_EQ(live[0].query_endpoint, "tcp://127.0.0.1:71");

  ASSERT_TRUE(registry_->Put(Entry("r2", 13, now_ms_)).ok());
  EXPECT_TRUE(WaitFor([&] { return directory_.Live(0).size() == 2; }));
  ASSERT_TRUE(registry_->Put(Entry("r1", 11, now_ms_)).ok());
  EXPECT_TRUE(WaitFor([&] { return directory_.All(0).front().applied_position == 11; }));
  clock_.Advance(3'100'000);
  EXPECT_TRUE(directory_.Live(0).empty());
}

TEST_F(NatsReplicaRegistryTest, AnUnreadableEntryIsLeftOut) {
  ASSERT_TRUE(registry_->Watch(directory_).ok());
  uint64_t revision = 0;
  kvStore* kv = nullptr;
  ASSERT_EQ(js_KeyValue(&kv, connection_->jetstream(), kReplicaRegistryBucket), NATS_OK);
  ASSERT_EQ(kvStore_PutString(&revision, kv, "p00.bad", "{not json"), NATS_OK);
  kvStore_Destroy(kv);
  ASSERT_TRUE(registry_->Put(Entry("r3", 1, now_ms_)).ok());
  EXPECT_TRUE(WaitFor([&] { return directory_.All(0).size() == 1; }));
  EXPECT_EQ(directory_.All(0).front().replica_id, "r3");
}

TEST_F(NatsReplicaRegistryTest, ADeletedEntryLeavesTheDirectory) {
  ASSERT_TRUE(registry_->Put(Entry("r1", 10, now_ms_)).ok());
  ASSERT_TRUE(registry_->Put(Entry("r2", 12, now_ms_)).ok());
  ASSERT_TRUE(registry_->Watch(directory_).ok());
  ASSERT_EQ(directory_.All(0).size(), 2u);
  kvStore* kv = nullptr;
  ASSERT_EQ(js_KeyValue(&kv, connection_->jetstream(), kReplicaRegistryBucket), NATS_OK);
  ASSERT_EQ(kvStore_Delete(kv, "p00.r2"), NATS_OK);
  kvStore_Destroy(kv);
  EXPECT_TRUE(WaitFor([&] { return directory_.All(0).size() == 1; }));
  EXPECT_EQ(directory_.All(0).front().replica_id, "r1");
}

TEST_F(NatsReplicaRegistryTest, ReadingABucketGivesItsLiveKeysOnly) {
  JetStreamRequests requests(*connection_);
  auto empty = ReadKeyValueBucket(requests, kReplicaRegistryBucket);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());

  kvStore* kv = nullptr;
  ASSERT_EQ(js_KeyValue(&kv, connection_->jetstream(), kReplicaRegistryBucket), NATS_OK);
  uint64_t revision = 0;
  ASSERT_EQ(kvStore_PutString(&revision, kv, "p00.a", "one"), NATS_OK);
  ASSERT_EQ(kvStore_PutString(&revision, kv, "p00.b", "two"), NATS_OK);
  ASSERT_EQ(kvStore_PutString(&revision, kv, "p00.a", "one again"), NATS_OK);
  ASSERT_EQ(kvStore_PutString(&revision, kv, "p01.c", "three"), NATS_OK);
  ASSERT_EQ(kvStore_Delete(kv, "p00.b"), NATS_OK);
  ASSERT_EQ(kvStore_Purge(kv, "p01.c", nullptr), NATS_OK);
  kvStore_Destroy(kv);

  auto values = ReadKeyValueBucket(requests, kReplicaRegistryBucket);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::map<std::string, std::string>{{"p00.a", "one again"}}));

  auto missing = ReadKeyValueBucket(requests, "NO_SUCH_BUCKET");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::StatusCode::kNotFound) << missing.status().ToString();
  EXPECT_NE(missing.status().message().find("read key-value bucket NO_SUCH_BUCKET: no such stream: "),
            std::string::npos)
      << missing.status().ToString();
}

}  // namespace
}  // namespace omnihub::bus::nats
