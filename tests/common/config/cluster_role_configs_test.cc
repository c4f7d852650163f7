// The role configs of the three-host cluster example (deploy/cluster/*.toml, docs/cluster.md
// "Which process runs where"), loaded as every process loads its --config file
// (config::LoadConfig with all the sections of the build): each must be accepted, and together
// they must describe one cluster: the same [cluster] everywhere, two replicas of every
// partition with distinct ids, and query endpoints the other hosts can connect to.
// (e2e.test_check_config runs each role's binaries with --check-config on them.)
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/cluster_config.h"
#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "services/unifier/unifier_config.h"

namespace omnihub::config {
namespace {

namespace fs = std::filesystem;

const fs::path kCluster = fs::path(OMNIHUB_SOURCE_DIR) / "deploy" / "cluster";

std::map<std::string, Config> LoadAll() {
  std::map<std::string, Config> configs;
  for (const auto& entry : fs::directory_iterator(kCluster)) {
    if (entry.path().extension() != ".toml") continue;
    auto c = LoadConfig(entry.path().string(), AllSections());
    EXPECT_TRUE(c.ok()) << entry.path() << ": " << c.status().ToString();
    if (c.ok()) configs.emplace(entry.path().filename().string(), std::move(*c));
  }
  return configs;
}

TEST(ClusterRoleConfigsTest, EveryRoleLoadsInClusterModeWithTheSameCluster) {
  const auto configs = LoadAll();
  ASSERT_EQ(configs.size(), 5u) << "ingest-host.toml and unifier-p0{0,1}-{a,b}.toml";
  ASSERT_TRUE(configs.count("ingest-host.toml"));
  const auto& first = configs.at("ingest-host.toml").Get<bus::ClusterConfig>();
  EXPECT_TRUE(first.enabled);
  EXPECT_EQ(first.nats_urls, (std::vector<std::string>{"nats://nats-1:4222", "nats://nats-2:4222", "nats://nats-3:4222"}));
  EXPECT_EQ(first.replicas, 3u);
  for (const auto& [name, config] : configs) {
    const auto& cluster = config.Get<bus::ClusterConfig>();
    EXPECT_TRUE(cluster.enabled) << name;
    EXPECT_EQ(cluster.nats_urls, first.nats_urls) << name;
    EXPECT_EQ(cluster.partitions, first.partitions) << name;
    EXPECT_EQ(cluster.replicas, first.replicas) << name;
    EXPECT_EQ(config.identity.default_region, configs.at("ingest-host.toml").identity.default_region) << name;
  }
}

TEST(ClusterRoleConfigsTest, EveryPartitionHasTwoReplicasWithTheirOwnIdsDataAndReachableEndpoints) {
  const auto configs = LoadAll();
  ASSERT_TRUE(configs.count("ingest-host.toml"));
  const uint32_t partitions = configs.at("ingest-host.toml").Get<bus::ClusterConfig>().partitions;
  std::map<uint32_t, std::set<std::string>> replicas;  // partition -> replica ids
  std::set<std::string> data_dirs, endpoints;
  for (const auto& [name, config] : configs) {
    if (name.rfind("unifier-", 0) != 0) continue;
    const auto& unifier = config.Get<unifier::UnifierConfig>();
    EXPECT_LT(unifier.partition, partitions) << name;
    EXPECT_FALSE(unifier.replica_id.empty()) << name;
    EXPECT_TRUE(replicas[unifier.partition].insert(unifier.replica_id).second) << name << ": replica id repeated";
    EXPECT_TRUE(data_dirs.insert(config.data_dir).second) << name << ": data_dir shared with another replica";
    // The query endpoint is published in the registry and connected to from the API's host.
    EXPECT_EQ(config.bus.query.rfind("tcp://10.0.0.", 0), 0u) << name << ": " << config.bus.query;
    for (const auto* endpoint : {&config.bus.query, &config.bus.changes}) {
      EXPECT_TRUE(endpoints.insert(*endpoint).second) << name << ": " << *endpoint << " bound twice";
    }
  }
  ASSERT_EQ(replicas.size(), partitions);
  for (const auto& [partition, ids] : replicas) EXPECT_EQ(ids.size(), 2u) << "partition " << partition;
}

}  // namespace
}  // namespace omnihub::config
