#include "common/config.h"

#include <gtest/gtest.h>

namespace omnihub {
namespace {

TEST(ConfigTest, EmbeddedDefaultParses) {
  auto c = ParseConfig(DefaultConfigToml(), "<default>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c->unifier.db_dir, "var/unifier");
  EXPECT_EQ(c->identity.default_region, "US");
}

TEST(ConfigTest, WrongTypeNamesKeyAndLine) {
  auto c = ParseConfig("data_dir = \"x\"\n[unifier]\nbatch_max_events = \"many\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unifier.batch_max_events"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("line 3"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, UnknownKeyNamesKeyAndLine) {
  auto c = ParseConfig("[bus]\ningest = \"ipc://a\"\ningset = \"ipc://b\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bus.ingset"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("line 3"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  auto c = ParseConfig("[bus]\ningest = \n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("line 2"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, OutOfRangeValueIsRejected) {
  auto c = ParseConfig("[publisher]\nwindow = 0\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("publisher.window (line 2)"), std::string::npos) << c.status().message();
}

TEST(ConfigTest, UnknownPhoneRegionIsRejected) {
  auto c = ParseConfig("[identity]\ndefault_region = \"XX\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("identity.default_region (line 2)"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace omnihub
