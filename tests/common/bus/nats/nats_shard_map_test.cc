// The shard map in the OMNI_SHARDS key-value bucket of a real nats-server: put, get, list,
// a tenant moved to another partition, and the refusals (partition out of range, a tenant
// id the bucket cannot key, a value someone else stored that is not a partition), and an open
// that waits for a server that does not answer yet.
#include "common/bus/nats/nats_shard_map.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/nats/nats_connection.h"
#include "tests/support/nats_solo_test.h"

namespace omnihub::bus::nats {
namespace {

class NatsShardMapTest : public testing::NatsSoloTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(NatsSoloTest::SetUp());
    auto map = NatsShardMap::Open(*connection_, {.partitions = 4, .replicas = 1});
    ASSERT_TRUE(map.ok()) << map.status().ToString();
    map_ = std::move(*map);
  }

  std::unique_ptr<NatsShardMap> map_;
};

TEST_F(NatsShardMapTest, PutGetAndListTenants) {
  auto empty = map_->List();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());
  auto missing = map_->Get("acme");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_FALSE(missing->has_value());

  ASSERT_TRUE(map_->Put("acme", 2).ok());
  ASSERT_TRUE(map_->Put("globex", 0).ok());
  ASSERT_TRUE(map_->Put("initech-eu", 3).ok());
  auto acme = map_->Get("acme");
  ASSERT_TRUE(acme.ok());
  EXPECT_EQ(*acme, std::optional<uint32_t>(2));

  // Moved: the map answers the new partition; the revision grows.
  auto first = map_->Put("globex", 1);
  auto second = map_->Put("globex", 3);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GT(*second, *first);
  auto list = map_->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  const std::vector<std::pair<std::string, uint32_t>> expected = {{"acme", 2}, {"globex", 3}, {"initech-eu", 3}};
  EXPECT_EQ(*list, expected);

  // Another process opening the bucket sees the same map.
  auto other = NatsShardMap::Open(*connection_, {.partitions = 4, .replicas = 1});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*(*other)->Get("initech-eu"), std::optional<uint32_t>(3));
}

TEST_F(NatsShardMapTest, RefusesWhatItCannotStore) {
  auto out_of_range = map_->Put("acme", 4);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.status().message().find("partition 4 does not exist"), std::string::npos);
  for (const char* bad : {"", "acme.eu", "a b", "acme/eu", "*", ">"}) {
    auto put = map_->Put(bad, 1);
    ASSERT_FALSE(put.ok()) << bad;
    EXPECT_TRUE(put.status().IsInvalidArgument());
    EXPECT_NE(put.status().message().find("A-Z a-z 0-9 - _ ="), std::string::npos) << put.status().message();
    EXPECT_FALSE(map_->Get(bad).ok()) << bad;
  }
  EXPECT_FALSE(map_->Put(std::string(129, 'a'), 1).ok());
  EXPECT_TRUE(map_->Put(std::string(128, 'a'), 1).ok());
}

TEST_F(NatsShardMapTest, AValueThatIsNoPartitionIsCorruptionNamingTheTenant) {
  kvStore* kv = nullptr;
  ASSERT_EQ(js_KeyValue(&kv, connection_->jetstream(), kShardMapBucket), NATS_OK);
  uint64_t revision = 0;
  ASSERT_EQ(kvStore_PutString(&revision, kv, "hooli", "two"), NATS_OK);
  kvStore_Destroy(kv);
  auto got = map_->Get("hooli");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsCorruption());
  EXPECT_NE(got.status().message().find("'two' for tenant 'hooli'"), std::string::npos) << got.status().message();
  EXPECT_FALSE(map_->List().ok());
}

// A process that starts while the cluster does not answer (an election behind a stopped
// leader) waits for it rather than exit: opening the bucket is tried again until the
// connection's startup_wait_ms has passed.
TEST_F(NatsShardMapTest, OpeningWaitsForAServerThatDoesNotAnswerYet) {
  auto connect = [&](int64_t startup_wait_ms) {
    // Pings every minute: the paused server must not make the client drop the connection.
    return NatsConnection::Connect({.servers = {server_.url()}, .name = "waiting", .ping_interval_ms = 60'000,
                                    .request_timeout_ms = 300, .startup_wait_ms = startup_wait_ms});
  };
  auto impatient = connect(0);
  auto patient = connect(20'000);
  ASSERT_TRUE(impatient.ok() && patient.ok());
  ASSERT_TRUE(server_.Pause());
  auto refused = NatsShardMap::Open(**impatient, {.partitions = 4, .replicas = 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsUnavailable()) << refused.status().ToString();
  std::thread resume([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    server_.Resume();
  });
  auto opened = NatsShardMap::Open(**patient, {.partitions = 4, .replicas = 1});
  resume.join();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE((*opened)->Put("acme", 2).ok());
}

}  // namespace
}  // namespace omnihub::bus::nats
