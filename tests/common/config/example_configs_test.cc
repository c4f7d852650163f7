// The example configs of deploy/examples, loaded as every service loads its --config file
// (config::LoadConfig with all the sections of the build): each must be accepted, and each must
// say what docs/operations.md says it does ("Installing on one machine", "Several hosts").
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "services/api/api_config.h"
#include "services/email/email_config.h"
#include "services/sms/sms_config.h"
#include "services/social/social_config.h"
#include "services/unifier/unifier_config.h"

namespace omnihub::config {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(OMNIHUB_SOURCE_DIR) / "deploy" / "examples";

base::Result<Config> Load(const fs::path& path) { return LoadConfig(path.string(), AllSections()); }

TEST(ExampleConfigsTest, EveryExampleLoads) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kExamples)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 2u) << "one-host.toml and multi-host/omnihub.toml at least";
  for (const auto& file : files) {
    auto c = Load(file);
    EXPECT_TRUE(c.ok()) << file << ": " << c.status().ToString();
  }
}

// One file, referenced: the one-host example is deploy/omnihub.toml itself.
TEST(ExampleConfigsTest, OneHostIsTheShippedConfig) {
  const fs::path one_host = kExamples / "one-host.toml";
  ASSERT_TRUE(fs::is_symlink(one_host));
  EXPECT_TRUE(fs::equivalent(one_host, fs::path(OMNIHUB_SOURCE_DIR) / "deploy" / "omnihub.toml"));
  auto c = Load(one_host);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (const auto* endpoint : {&c->bus.ingest, &c->bus.changes, &c->bus.query}) {
    EXPECT_EQ(endpoint->rfind("ipc:///run/omnihub/", 0), 0u) << *endpoint;
  }
}

TEST(ExampleConfigsTest, MultiHostUsesTcpToTheUnifierHostAndPrivateAdminListeners) {
  auto c = Load(kExamples / "multi-host" / "omnihub.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // The unifier binds all three, everyone else connects to the same values: one host, three ports.
  std::set<std::string> ports;
  for (const auto* endpoint : {&c->bus.ingest, &c->bus.changes, &c->bus.query}) {
    ASSERT_EQ(endpoint->rfind("tcp://10.0.0.10:", 0), 0u) << *endpoint;
    ports.insert(endpoint->substr(std::string("tcp://10.0.0.10:").size()));
  }
  EXPECT_EQ(ports.size(), 3u);
  EXPECT_EQ(c->Get<unifier::UnifierConfig>().admin_listen, "10.0.0.10:9101");
  EXPECT_EQ(c->Get<email::EmailConfig>().admin_listen, "10.0.0.20:9102");
  EXPECT_EQ(c->Get<sms::SmsConfig>().admin_listen, "10.0.0.20:9103");
  EXPECT_EQ(c->Get<social::SocialConfig>().admin_listen, "10.0.0.20:9104");
  EXPECT_EQ(c->Get<api::ApiConfig>().admin_listen, "10.0.0.30:9105");
  // Data stays on each host, under the same directory as on one host.
  EXPECT_EQ(c->Get<unifier::UnifierConfig>().db_dir, "/var/lib/omnihub/unifier");
}

}  // namespace
}  // namespace omnihub::config
