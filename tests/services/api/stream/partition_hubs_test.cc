// One change hub per partition, started by the first stream of a tenant on it: tenants of one
// partition share its hub, a tenant on no partition is refused, Stop stops every hub.
#include "services/api/stream/partition_hubs.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace omnihub::api::stream {
namespace {

// A hub that only counts Stop.
class CountingHub final : public ChangeHub {
 public:
  explicit CountingHub(int& stops) : stops_(stops) {}
  void Open(std::shared_ptr<http::HttpStream>, uint64_t, ChangeFilter) override {}
  uint64_t last_seq() const override { return 0; }
  void Stop() override { ++stops_; }

 private:
  int& stops_;
};

class PartitionHubsTest : public ::testing::Test {
 protected:
  PartitionHubsTest()
      : hubs_(
            [this](std::string_view tenant) -> base::Result<uint32_t> {
              auto it = shard_map_.find(std::string(tenant));
              if (it == shard_map_.end()) {
                return base::Status::NotFound("tenant '" + std::string(tenant) + "' is on no partition");
              }
              return it->second;
            },
            [this](uint32_t partition) -> std::unique_ptr<ChangeHub> {
              started_.push_back(partition);
              return std::make_unique<CountingHub>(stops_);
            }) {}

  std::map<std::string, uint32_t> shard_map_ = {{"default", 0}, {"acme", 1}, {"globex", 1}};
  std::vector<uint32_t> started_;
  int stops_ = 0;
  PartitionHubs hubs_;
};

TEST_F(PartitionHubsTest, AHubStartsWithItsPartitionsFirstStreamAndIsShared) {
  EXPECT_EQ(hubs_.started(), 0u) << "nothing runs before a stream";
  auto acme = hubs_.ForTenant("acme");
  ASSERT_TRUE(acme.ok()) << acme.status().ToString();
  auto globex = hubs_.ForTenant("globex");
  ASSERT_TRUE(globex.ok());
  EXPECT_EQ(*acme, *globex) << "two tenants of partition 1, one hub";
  EXPECT_EQ(started_, std::vector<uint32_t>{1});
  ASSERT_TRUE(hubs_.Warm("default").ok());
  auto def = hubs_.ForTenant("default");
  ASSERT_TRUE(def.ok());
  EXPECT_NE(*def, *acme);
  EXPECT_EQ(started_, (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(hubs_.started(), 2u);
}

TEST_F(PartitionHubsTest, ATenantOnNoPartitionStartsNothing) {
  auto hub = hubs_.ForTenant("initech");
  ASSERT_FALSE(hub.ok());
  EXPECT_TRUE(hub.status().IsNotFound());
  EXPECT_NE(hub.status().message().find("initech"), std::string::npos) << hub.status().ToString();
  EXPECT_TRUE(started_.empty());
}

TEST_F(PartitionHubsTest, StopStopsEveryHubOnceAndRefusesNewStreams) {
  ASSERT_TRUE(hubs_.ForTenant("acme").ok());
  ASSERT_TRUE(hubs_.ForTenant("default").ok());
  hubs_.Stop();
  EXPECT_EQ(stops_, 2);
  auto late = hubs_.ForTenant("acme");
  ASSERT_FALSE(late.ok());
  EXPECT_TRUE(late.status().IsUnavailable()) << late.status().ToString();
  hubs_.Stop();
  EXPECT_EQ(stops_, 2) << "idempotent";
}

}  // namespace
}  // namespace omnihub::api::stream
