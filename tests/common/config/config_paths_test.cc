// data_dir is the root of every relative path of the config (common/config/paths.h): the
// bus sockets here, and the paths a section lists (the demo section standing in for the
// services'; their own paths are tested next to them).
#include "common/config/paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/common/config/test_section.h"

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;

Config Parse(const std::string& toml) {
  auto c = ParseWithDemo(toml, "test.toml");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : Config{};
}

TEST(ConfigPathsTest, KeysLeftOutAreUnderTheDefaultDataDir) {
  Config c = Parse("[demo]\ncount = 1\n");
  EXPECT_EQ(c.data_dir, "var");
  EXPECT_EQ(c.Get<DemoConfig>().dir, "var/demo");
  EXPECT_EQ(c.bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c.bus.changes, "ipc://var/run/changes.sock");
  EXPECT_EQ(c.bus.query, "ipc://var/run/query.sock");
}

TEST(ConfigPathsTest, EveryRelativePathIsUnderDataDir) {
  Config c = Parse(
      "data_dir = \"/srv/hub\"\n"
      "[bus]\ningest = \"ipc://run/in.sock\"\nchanges = \"ipc://run/ch.sock\"\nquery = \"ipc://q.sock\"\n"
      "[demo]\ndir = \"./out/../db\"\n");
  EXPECT_EQ(c.bus.ingest, "ipc:///srv/hub/run/in.sock");
  EXPECT_EQ(c.bus.changes, "ipc:///srv/hub/run/ch.sock");
  EXPECT_EQ(c.bus.query, "ipc:///srv/hub/q.sock");
  EXPECT_EQ(c.Get<DemoConfig>().dir, "/srv/hub/db");
}

TEST(ConfigPathsTest, AbsolutePathsAndFilelessEndpointsAreKept) {
  Config c = Parse(
      "data_dir = \"/srv/hub\"\n"
      "[bus]\ningest = \"tcp://127.0.0.1:5555\"\nchanges = \"ipc://@omnihub-changes\"\n"
      "query = \"ipc:///run/omnihub/query.sock\"\n"
      "[demo]\ndir = \"/var/lib/omnihub/demo\"\n");
  EXPECT_EQ(c.bus.ingest, "tcp://127.0.0.1:5555");
  EXPECT_EQ(c.bus.changes, "ipc://@omnihub-changes");
  EXPECT_EQ(c.bus.query, "ipc:///run/omnihub/query.sock");
  EXPECT_EQ(c.Get<DemoConfig>().dir, "/var/lib/omnihub/demo");
}

TEST(ConfigPathsTest, RelativeDataDirStaysRelativeToTheWorkingDirectory) {
  Config c = Parse("data_dir = \"hub-a\"\n[demo]\ndir = \"demo\"\n");
  EXPECT_EQ(c.Get<DemoConfig>().dir, "hub-a/demo");
  EXPECT_EQ(c.bus.query, "ipc://hub-a/run/query.sock");
}

// A config written when paths were relative to the working directory names every data
// path under data_dir's own spelling; taken under the new rule it would open empty
// stores in var/var/ and strand the real ones.
TEST(ConfigPathsTest, PathsThatRepeatARelativeDataDirAreRefusedWithTheFix) {
  auto c = ParseWithDemo("data_dir = \"var\"\n[demo]\ndir = \"var/demo\"\n", "old.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("config old.toml: demo.dir 'var/demo'"));
  EXPECT_THAT(c.status().message(), HasSubstr("'var/var/demo'"));
  EXPECT_THAT(c.status().message(), HasSubstr("write 'demo'"));

  auto endpoint = ParseWithDemo("[bus]\ningest = \"ipc://./var/run/ingest.sock\"\n", "old.toml");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_THAT(endpoint.status().message(), HasSubstr("bus.ingest"));
  EXPECT_THAT(endpoint.status().message(), HasSubstr("write 'ipc://run/ingest.sock'"));

  EXPECT_FALSE(ParseWithDemo("data_dir = \"./var/\"\n[demo]\ndir = \"var/demo\"\n", "t").ok());
}

TEST(ConfigPathsTest, SharingOnlyLettersWithDataDirIsNotRepeatingIt) {
  Config c = Parse("data_dir = \"var\"\n[demo]\ndir = \"variant/db\"\n");
  EXPECT_EQ(c.Get<DemoConfig>().dir, "var/variant/db");
  Config dot = Parse("data_dir = \".\"\n[demo]\ndir = \"var/demo\"\n");
  EXPECT_EQ(dot.Get<DemoConfig>().dir, "var/demo");
}

TEST(ConfigPathsTest, ResolveHelpers) {
  EXPECT_EQ(ResolveUnderDataDir("/d", ""), "");
  EXPECT_EQ(ResolveUnderDataDir("/d", "/abs"), "/abs");
  EXPECT_EQ(ResolveUnderDataDir("/d", "a/../b"), "/d/b");
  EXPECT_EQ(ResolveEndpointUnderDataDir("/d", "inproc://x"), "inproc://x");
  EXPECT_EQ(ResolveEndpointUnderDataDir("/d", "ipc://s.sock"), "ipc:///d/s.sock");
}

}  // namespace
}  // namespace omnihub::config
