// The [cluster] section (common/bus/cluster_config.h): its defaults (cluster mode off), a
// full section, and each invalid value named with its key and line, all of them in one load.
#include "common/bus/cluster_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::bus {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&ClusterConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

// The message of a load that must fail.
std::string Error(std::string_view toml) {
  auto c = Parse(toml);
  EXPECT_FALSE(c.ok()) << toml;
  return c.ok() ? "" : c.status().message();
}

TEST(ClusterConfigTest, OffByDefault) {
  for (std::string_view toml : {"", "[cluster]\n"}) {
    auto c = Parse(toml);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    const auto& cluster = c->Get<ClusterConfig>();
    EXPECT_FALSE(cluster.enabled);
    EXPECT_TRUE(cluster.nats_urls.empty());
    EXPECT_EQ(cluster.partitions, 2u);
    EXPECT_EQ(cluster.replicas, 3u);
    EXPECT_EQ(cluster.publish_timeout_ms, 5000u);
    EXPECT_EQ(cluster.ping_interval_ms, 1000u);
    EXPECT_EQ(cluster.credentials_file, "");
  }
}

TEST(ClusterConfigTest, ReadsEveryKey) {
  auto c = Parse(
      "[cluster]\nenabled = true\nnats_urls = [\"nats://nats-1:4222\", \"nats://10.0.0.2:4222\"]\n"
      "partitions = 8\nreplicas = 5\npublish_timeout_ms = 2000\nping_interval_ms = 500\n"
      "credentials_file = \"omnihub.creds\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& cluster = c->Get<ClusterConfig>();
  EXPECT_TRUE(cluster.enabled);
  EXPECT_EQ(cluster.nats_urls, (std::vector<std::string>{"nats://nats-1:4222", "nats://10.0.0.2:4222"}));
  EXPECT_EQ(cluster.partitions, 8u);
  EXPECT_EQ(cluster.replicas, 5u);
  EXPECT_EQ(cluster.publish_timeout_ms, 2000u);
  EXPECT_EQ(cluster.ping_interval_ms, 500u);
  // A *_file key is a secret's path: kept as written, not put under data_dir.
  EXPECT_EQ(cluster.credentials_file, "omnihub.creds");
}

TEST(ClusterConfigTest, EachInvalidValueIsNamedWithItsLine) {
  EXPECT_THAT(Error("[cluster]\nenabled = \"yes\"\n"), HasSubstr("cluster.enabled (line 2) must be true or false"));
  EXPECT_THAT(Error("[cluster]\nnats_urls = \"nats://a:4222\"\n"),
              HasSubstr("cluster.nats_urls (line 2) must be a list of strings"));
  EXPECT_THAT(Error("[cluster]\nnats_urls = [\"http://a:4222\"]\n"),
              HasSubstr("cluster.nats_urls (line 2) 'http://a:4222' is not nats://HOST:PORT: it must start with "
                        "nats://"));
  EXPECT_THAT(Error("[cluster]\nnats_urls = [\"nats://a:1\", \"nats://nats-2\"]\n"),
              HasSubstr("cluster.nats_urls (line 2) 'nats://nats-2' is not nats://HOST:PORT: the port is missing"));
  EXPECT_THAT(Error("[cluster]\nnats_urls = [\"nats://:4222\"]\n"), HasSubstr("the host is missing"));
  for (const char* port : {"0", "65536", "42x", ""}) {
    EXPECT_THAT(Error(std::string("[cluster]\nnats_urls = [\"nats://a:") + port + "\"]\n"),
                HasSubstr("the port must be a number 1..65535"))
        << port;
  }
  EXPECT_THAT(Error("[cluster]\npartitions = 0\n"), HasSubstr("cluster.partitions (line 2) must be between 1 and"));
  EXPECT_THAT(Error("[cluster]\nreplicas = 6\n"), HasSubstr("cluster.replicas (line 2) must be between 1 and 5"));
  EXPECT_THAT(Error("[cluster]\npublish_timeout_ms = 10\n"),
              HasSubstr("cluster.publish_timeout_ms (line 2) must be between 100 and"));
  EXPECT_THAT(Error("[cluster]\nping_interval_ms = 0\n"),
              HasSubstr("cluster.ping_interval_ms (line 2) must be between 100 and"));
  EXPECT_THAT(Error("[cluster]\ncredentials_file = 3\n"), HasSubstr("cluster.credentials_file (line 2) must be a string"));
  EXPECT_EQ(Error("[cluster]\nnats_url = []\n"), "config test.toml: unknown key 'cluster.nats_url' (line 2)");
}

TEST(ClusterConfigTest, EnabledNeedsServers) {
  EXPECT_THAT(Error("[cluster]\nenabled = true\n"),
              HasSubstr("cluster.enabled (line 2) cluster mode needs nats_urls: list at least one nats://HOST:PORT"));
  EXPECT_THAT(Error("[cluster]\nenabled = true\nnats_urls = []\n"),
              HasSubstr("cluster.nats_urls (line 3) cluster mode needs nats_urls"));
  // Off, an empty list is fine: nothing connects.
  EXPECT_TRUE(Parse("[cluster]\nenabled = false\nnats_urls = []\n").ok());
}

// As --check-config prints them: every mistake of the section in one load, in line order.
TEST(ClusterConfigTest, EveryMistakeIsReportedInOneLoad) {
  const std::string message =
      Error("[cluster]\nenabled = true\nnats_urls = [\"tcp://a:1\"]\npartitions = 0\nreplicas = 9\n");
  EXPECT_EQ(message,
            "config test.toml: cluster.nats_urls (line 3) 'tcp://a:1' is not nats://HOST:PORT: it must start with "
            "nats://\n"
            "config test.toml: cluster.partitions (line 4) must be between 1 and 1000\n"
            "config test.toml: cluster.replicas (line 5) must be between 1 and 5");
}

}  // namespace
}  // namespace omnihub::bus
