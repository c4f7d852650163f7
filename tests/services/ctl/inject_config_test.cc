// The [inject] section (services/ctl/inject_config.h).
#include "services/ctl/inject_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::ctl {
namespace {

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&InjectConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(InjectConfigTest, OutboxIsUnderDataDir) {
  auto def = Parse("");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->Get<InjectConfig>().outbox_dir, "var/outbox/inject");
  auto c = Parse("data_dir = \"/srv/hub\"\n[inject]\noutbox_dir = \"out/inject\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<InjectConfig>().outbox_dir, "/srv/hub/out/inject");
}

TEST(InjectConfigTest, EmptyOutboxAndUnknownKeysAreErrors) {
  auto empty = Parse("[inject]\noutbox_dir = \"\"\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), ::testing::HasSubstr("inject.outbox_dir (line 2) must not be empty"));
  auto typo = Parse("[inject]\noutbox = \"x\"\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().message(), "config test.toml: unknown key 'inject.outbox' (line 2)");
}

}  // namespace
}  // namespace omnihub::ctl
