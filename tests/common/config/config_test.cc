// The shared sections and the section registry of common/config; the services' own
// sections are tested next to them (tests/services/<svc>/<svc>_config_test.cc).
#include "common/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/common/config/test_section.h"

namespace omnihub::config {
namespace {

using ::testing::HasSubstr;

TEST(ConfigTest, SharedSectionsHaveTheirDefaults) {
  auto c = ParseWithDemo("", "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->bus.ingest, "ipc://var/run/ingest.sock");
  EXPECT_EQ(c->identity.default_region, "US");
  EXPECT_EQ(c->publisher.window, 4096u);
  EXPECT_EQ(c->log.level, "info");
  EXPECT_EQ(c->log.file, "");
  EXPECT_EQ(c->service.shutdown_timeout_ms, 10000u);
}

TEST(ConfigTest, ShutdownTimeoutIsReadAndChecked) {
  auto c = ParseWithDemo("[service]\nshutdown_timeout_ms = 2500\n", "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->service.shutdown_timeout_ms, 2500u);
  auto bad = ParseWithDemo("[service]\nshutdown_timeout_ms = 0\n", "test.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("service.shutdown_timeout_ms (line 2) must be between 100 and 3600000"));
  auto unknown = ParseWithDemo("[service]\nshutdown_timeout = 5\n", "test.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "config test.toml: unknown key 'service.shutdown_timeout' (line 2)");
}

TEST(ConfigTest, LogFileIsUnderDataDir) {
  auto c = ParseWithDemo("data_dir = \"/srv/hub\"\n[log]\nfile = \"log/omnihub.log\"\n", "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->log.file, "/srv/hub/log/omnihub.log");
}

TEST(ConfigTest, WrongTypeNamesKeyAndLine) {
  auto c = ParseWithDemo("data_dir = \"x\"\n[publisher]\nwindow = \"many\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("config test.toml: publisher.window (line 3) must be an integer"));
}

TEST(ConfigTest, UnknownKeyNamesKeyAndLine) {
  auto c = ParseWithDemo("[bus]\ningest = \"ipc://a\"\ningset = \"ipc://b\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "config test.toml: unknown key 'bus.ingset' (line 3)");
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  auto c = ParseWithDemo("[bus]\ningest = \n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("line 2"));
}

TEST(ConfigTest, OutOfRangeValueIsRejected) {
  auto c = ParseWithDemo("[publisher]\nwindow = 0\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("publisher.window (line 2) must be between 1 and 1000000"));
}

TEST(ConfigTest, UnknownPhoneRegionIsRejected) {
  auto c = ParseWithDemo("[identity]\ndefault_region = \"XX\"\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("identity.default_region (line 2)"));
}

TEST(ConfigTest, RegisteredSectionIsParsedWithItsOwnParser) {
  auto c = ParseWithDemo("[demo]\ncount = 7\n", "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<DemoConfig>().count, 7u);
  EXPECT_EQ(c->Get<DemoConfig>().dir, "var/demo");  // its default, under data_dir
}

TEST(ConfigTest, RegisteredSectionLeftOutHasItsDefaults) {
  auto c = ParseWithDemo("data_dir = \"/srv\"\n", "test.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get<DemoConfig>().count, 3u);
  EXPECT_EQ(c->Get<DemoConfig>().dir, "/srv/demo");
}

TEST(ConfigTest, RegisteredSectionErrorsNameKeyAndLine) {
  auto range = ParseWithDemo("[demo]\ncount = 70\n", "test.toml");
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("config test.toml: demo.count (line 2) must be between 1 and 10"));
  auto typo = ParseWithDemo("[demo]\ncuont = 7\n", "test.toml");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().message(), "config test.toml: unknown key 'demo.cuont' (line 2)");
}

// A section no one registered is a typo (or a service this build lacks), never ignored.
TEST(ConfigTest, UnregisteredSectionIsUnknown) {
  auto c = ParseWithDemo("[demo]\ncount = 2\n[dmeo]\ncount = 2\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "config test.toml: unknown key 'dmeo' (line 3)");
  auto none = ParseConfig("[demo]\ncount = 2\n", "test.toml", {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "config test.toml: unknown key 'demo' (line 1)");
}

TEST(ConfigTest, SectionMustBeATable) {
  auto c = ParseWithDemo("demo = 3\n", "test.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("demo (line 1) must be a table"));
}

TEST(ConfigDeathTest, GettingASectionThatWasNotParsedAborts) {
  Config c;
  EXPECT_DEATH(c.Get<DemoConfig>(), "section \\[demo\\] was not parsed");
}

TEST(ConfigTest, BusEndpointsAreCheckedAtLoadWithKeyAndLine) {
  auto transport = ParseWithDemo("[bus]\ningest = \"ipc://in.sock\"\nquery = \"tpc://127.0.0.1:5555\"\n", "t.toml");
  ASSERT_FALSE(transport.ok());
  EXPECT_THAT(transport.status().message(),
              HasSubstr("config t.toml: bus.query (line 3) 'tpc://127.0.0.1:5555' is not a bus endpoint: unknown "
                        "transport 'tpc://'"));
  auto port = ParseWithDemo("[bus]\nchanges = \"tcp://127.0.0.1\"\n", "t.toml");
  ASSERT_FALSE(port.ok());
  EXPECT_THAT(port.status().message(), HasSubstr("bus.changes (line 2) 'tcp://127.0.0.1' is not a bus endpoint"));
  auto scheme = ParseWithDemo("[bus]\ningest = \"run/ingest.sock\"\n", "t.toml");
  ASSERT_FALSE(scheme.ok());
  EXPECT_THAT(scheme.status().message(), HasSubstr("bus.ingest (line 2) 'run/ingest.sock' is not a bus endpoint"));
}

TEST(ConfigTest, InprocIsRefusedForTheBus) {
  auto c = ParseWithDemo("[bus]\ningest = \"inproc://ingest\"\n", "t.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("bus.ingest (line 2) 'inproc://ingest' is not a bus endpoint: inproc://"));
}

// The socket path's length limit applies to the path under data_dir, checked after it is
// resolved, and still names the key and its line.
TEST(ConfigTest, SocketPathTooLongUnderDataDirIsRefused) {
  const std::string dir(90, 'd');
  auto c = ParseWithDemo("data_dir = \"/" + dir + "\"\n[bus]\ningest = \"ipc://run/a-long-socket-name.sock\"\n",
                         "t.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("bus.ingest (line 3) 'ipc:///" + dir));
  EXPECT_THAT(c.status().message(), HasSubstr("more than the 107 an ipc socket allows"));
  auto fits = ParseWithDemo("data_dir = \"/" + dir + "\"\n[bus]\ningest = \"ipc://in.sock\"\nchanges = \"ipc://@c\"\n"
                            "query = \"tcp://[::1]:5557\"\n",
                            "t.toml");
  EXPECT_TRUE(fits.ok()) << fits.status().ToString();
}

}  // namespace
}  // namespace omnihub::config
