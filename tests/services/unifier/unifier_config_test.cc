// The [unifier] section (services/unifier/unifier_config.h).
#include "services/unifier/unifier_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::unifier {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml, std::string_view origin = "test.toml") {
  static const config::Section* const kSections[] = {&UnifierConfigSection()};
  return config::ParseConfig(toml, origin, kSections);
}

TEST(UnifierConfigTest, DefaultsWhenTheSectionIsLeftOut) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& u = c->Get<UnifierConfig>();
  EXPECT_EQ(u.db_dir, "var/unifier");
  EXPECT_EQ(u.batch_max_events, 2000u);
  EXPECT_EQ(u.admin_listen, "127.0.0.1:9101");
}

TEST(UnifierConfigTest, AdminListenerCanBeTurnedOff) {
  auto c = Parse("[unifier]\nadmin_listen = \"\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<UnifierConfig>().admin_listen, "");
}

TEST(UnifierConfigTest, WrongTypeNamesKeyAndLine) {
  auto c = Parse("data_dir = \"x\"\n[unifier]\nbatch_max_events = \"many\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("config test.toml: unifier.batch_max_events (line 3) must be an integer"));
}

TEST(UnifierConfigTest, DbDirIsUnderDataDir) {
  auto c = Parse("data_dir = \"/srv/hub\"\n[unifier]\ndb_dir = \"db\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<UnifierConfig>().db_dir, "/srv/hub/db");
  auto abs = Parse("data_dir = \"/srv/hub\"\n[unifier]\ndb_dir = \"/var/lib/omnihub/unifier\"\n");
  ASSERT_TRUE(abs.ok()) << abs.status().ToString();
  EXPECT_EQ(abs->Get<UnifierConfig>().db_dir, "/var/lib/omnihub/unifier");
}

TEST(UnifierConfigTest, DbDirRepeatingARelativeDataDirIsRefusedWithTheFix) {
  auto c = Parse("data_dir = \"var\"\n[unifier]\ndb_dir = \"var/unifier\"\n", "old.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("config old.toml: unifier.db_dir 'var/unifier'"));
  EXPECT_THAT(c.status().message(), HasSubstr("'var/var/unifier'"));
  EXPECT_THAT(c.status().message(), HasSubstr("write 'unifier'"));
}

TEST(UnifierConfigTest, ReplicaKeysOfClusterMode) {
  auto c = Parse("data_dir = \"/srv/hub\"\n[unifier]\npartition = 3\nreplica_id = \"db2-p3\"\nreplica_ready_lag = 50\n"
                 "digest_every = 0\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& u = c->Get<UnifierConfig>();
  EXPECT_EQ(u.partition, 3u);
  EXPECT_EQ(ReplicaIdOf(u), "db2-p3");
  EXPECT_EQ(u.replica_ready_lag, 50u);
  EXPECT_EQ(u.digest_every, 0u);  // digests only when idle

  // Without replica_id: the host name, "-", the data directory's last path part.
  auto d = Parse("data_dir = \"/srv/hub\"\n[unifier]\ndb_dir = \"store.1/\"\n");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const std::string id = ReplicaIdOf(d->Get<UnifierConfig>());
  EXPECT_EQ(d->Get<UnifierConfig>().digest_every, 10000u);
  EXPECT_THAT(id, ::testing::EndsWith("-store_1"));
  EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);

  auto bad = Parse("[unifier]\nreplica_id = \"p3.db2\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("unifier.replica_id (line 2)"));
  EXPECT_THAT(bad.status().message(), HasSubstr("A-Z a-z 0-9 - _"));
  EXPECT_FALSE(Parse("[unifier]\npartition = 100\n").ok());
}

}  // namespace
}  // namespace omnihub::unifier
