// data_dir is the root of every relative path of the config (common/config/paths.h).
#include "common/config/paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;

config::Config Parse(const std::string& toml) {
  auto c = config::ParseConfig(toml, "test.toml");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : config::Config{};
}

TEST(ConfigPathsTest, EmbeddedDefaultNamesTheFilesUnderVar) {
  auto c = config::ParseConfig(config::DefaultConfigToml(), "<default>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "var");
  EXPECT_EQ(c->bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c->bus.changes, "ipc://var/run/changes.sock");
  EXPECT_EQ(c->bus.query, "ipc://var/run/query.sock");
  EXPECT_EQ(c->unifier.db_dir, "var/unifier");
  EXPECT_EQ(c->inject.outbox_dir, "var/outbox/inject");
  EXPECT_EQ(c->email.outbox_dir, "var/outbox/email");
  EXPECT_EQ(c->sms.outbox_dir, "var/outbox/sms");
  EXPECT_EQ(c->email.maildir, "");  // off stays off
  EXPECT_EQ(c->email.tls_certificate, "");
}

TEST(ConfigPathsTest, KeysLeftOutAreUnderTheDefaultDataDir) {
  config::Config c = Parse("[unifier]\nbatch_max_events = 10\n");
  EXPECT_EQ(c.unifier.db_dir, "var/unifier");
  EXPECT_EQ(c.bus.ingest, "ipc://var/run/ingest.sock");
}

TEST(ConfigPathsTest, EveryRelativePathIsUnderDataDir) {
  config::Config c = Parse(
      "data_dir = \"/srv/hub\"\n"
      "[bus]\ningest = \"ipc://run/in.sock\"\nchanges = \"ipc://run/ch.sock\"\nquery = \"ipc://q.sock\"\n"
      "[unifier]\ndb_dir = \"db\"\n"
      "[inject]\noutbox_dir = \"out/inject\"\n"
      "[email]\noutbox_dir = \"out/email\"\nmaildir = \"mail\"\n"
      "tls_certificate = \"tls/mx.pem\"\ntls_private_key = \"./tls/mx.key\"\n"
      "[sms]\noutbox_dir = \"out/sms\"\n");
  EXPECT_EQ(c.bus.ingest, "ipc:///srv/hub/run/in.sock");
  EXPECT_EQ(c.bus.changes, "ipc:///srv/hub/run/ch.sock");
  EXPECT_EQ(c.bus.query, "ipc:///srv/hub/q.sock");
  EXPECT_EQ(c.unifier.db_dir, "/srv/hub/db");
  EXPECT_EQ(c.inject.outbox_dir, "/srv/hub/out/inject");
  EXPECT_EQ(c.email.outbox_dir, "/srv/hub/out/email");
  EXPECT_EQ(c.email.maildir, "/srv/hub/mail");
  EXPECT_EQ(c.email.tls_certificate, "/srv/hub/tls/mx.pem");
  EXPECT_EQ(c.email.tls_private_key, "/srv/hub/tls/mx.key");
  EXPECT_EQ(c.sms.outbox_dir, "/srv/hub/out/sms");
}

TEST(ConfigPathsTest, AbsolutePathsAndFilelessEndpointsAreKept) {
  config::Config c = Parse(
      "data_dir = \"/srv/hub\"\n"
      "[bus]\ningest = \"tcp://127.0.0.1:5555\"\nchanges = \"ipc://@omnihub-changes\"\n"
      "query = \"ipc:///run/omnihub/query.sock\"\n"
      "[unifier]\ndb_dir = \"/var/lib/omnihub/unifier\"\n");
  EXPECT_EQ(c.bus.ingest, "tcp://127.0.0.1:5555");
  EXPECT_EQ(c.bus.changes, "ipc://@omnihub-changes");
  EXPECT_EQ(c.bus.query, "ipc:///run/omnihub/query.sock");
  EXPECT_EQ(c.unifier.db_dir, "/var/lib/omnihub/unifier");
}

TEST(ConfigPathsTest, RelativeDataDirStaysRelativeToTheWorkingDirectory) {
  config::Config c = Parse("data_dir = \"hub-a\"\n[unifier]\ndb_dir = \"unifier\"\n");
  EXPECT_EQ(c.unifier.db_dir, "hub-a/unifier");
  EXPECT_EQ(c.bus.query, "ipc://hub-a/run/query.sock");
}

// A config written when paths were relative to the working directory names every data
// path under data_dir's own spelling; taken under the new rule it would open empty
// stores in var/var/ and strand the real ones.
TEST(ConfigPathsTest, PathsThatRepeatARelativeDataDirAreRefusedWithTheFix) {
  auto c = config::ParseConfig("data_dir = \"var\"\n[unifier]\ndb_dir = \"var/unifier\"\n", "old.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("config old.toml: unifier.db_dir 'var/unifier'"));
  EXPECT_THAT(c.status().message(), HasSubstr("'var/var/unifier'"));
  EXPECT_THAT(c.status().message(), HasSubstr("write 'unifier'"));

  auto endpoint = config::ParseConfig("[bus]\ningest = \"ipc://./var/run/ingest.sock\"\n", "old.toml");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_THAT(endpoint.status().message(), HasSubstr("bus.ingest"));
  EXPECT_THAT(endpoint.status().message(), HasSubstr("write 'ipc://run/ingest.sock'"));

  EXPECT_FALSE(config::ParseConfig("data_dir = \"./var/\"\n[sms]\noutbox_dir = \"var/outbox/sms\"\n", "t").ok());
}

TEST(ConfigPathsTest, SharingOnlyLettersWithDataDirIsNotRepeatingIt) {
  config::Config c = Parse("data_dir = \"var\"\n[unifier]\ndb_dir = \"variant/db\"\n");
  EXPECT_EQ(c.unifier.db_dir, "var/variant/db");
  config::Config dot = Parse("data_dir = \".\"\n[unifier]\ndb_dir = \"var/unifier\"\n");
  EXPECT_EQ(dot.unifier.db_dir, "var/unifier");
}

TEST(ConfigPathsTest, ResolveHelpers) {
  EXPECT_EQ(config::ResolveUnderDataDir("/d", ""), "");
  EXPECT_EQ(config::ResolveUnderDataDir("/d", "/abs"), "/abs");
  EXPECT_EQ(config::ResolveUnderDataDir("/d", "a/../b"), "/d/b");
  EXPECT_EQ(config::ResolveEndpointUnderDataDir("/d", "inproc://x"), "inproc://x");
  EXPECT_EQ(config::ResolveEndpointUnderDataDir("/d", "ipc://s.sock"), "ipc:///d/s.sock");
}

}  // namespace
}  // namespace omnihub::config
