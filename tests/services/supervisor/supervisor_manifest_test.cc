#include "services/supervisor/manifest.h"

#include <gtest/gtest.h>

namespace omnihub::supervisor {
namespace {

TEST(ManifestTest, ParsesColumnsInOrderSkippingCommentsAndBlankLines) {
  auto services = ParseManifest(
      "# name  binary  ready  stop_grace_s\n"
      "\n"
      "omnihub-unifier  omnihub-unifier  ipc:var/run/query.sock  30\n"
      "   # indented comment\n"
      "omnihub-email\tomnihub-email\ttcp:127.0.0.1:2525\t10\r\n"
      "omnihub-admin /opt/x/admin http:127.0.0.1:9101/readyz 0\n"
      "oneshot /bin/true - 1");
  ASSERT_TRUE(services.ok()) << services.status().ToString();
  ASSERT_EQ(services->size(), 4u);
  const auto& s = *services;
  EXPECT_EQ(s[0].name, "omnihub-unifier");
  EXPECT_EQ(s[0].binary, "omnihub-unifier");
  EXPECT_EQ(s[0].ready.kind, Probe::Kind::kIpc);
  EXPECT_EQ(s[0].ready.path, "var/run/query.sock");
  EXPECT_EQ(s[0].stop_grace_us, 30'000'000);
  EXPECT_EQ(s[1].ready.kind, Probe::Kind::kTcp);
  EXPECT_EQ(s[1].ready.ToString(), "tcp:127.0.0.1:2525");
  EXPECT_EQ(s[1].stop_grace_us, 10'000'000);
  EXPECT_EQ(s[2].binary, "/opt/x/admin");
  EXPECT_EQ(s[2].ready.kind, Probe::Kind::kHttp);
  EXPECT_EQ(s[2].ready.port, 9101);
  EXPECT_EQ(s[2].ready.path, "/readyz");
  EXPECT_EQ(s[2].stop_grace_us, 0);
  EXPECT_EQ(s[3].ready.kind, Probe::Kind::kNone);
}

TEST(ManifestTest, ErrorsNameTheLine) {
  auto wrong_columns = ParseManifest("# header\na b tcp:127.0.0.1:1\n");
  ASSERT_FALSE(wrong_columns.ok());
  EXPECT_TRUE(wrong_columns.status().IsInvalidArgument());
  EXPECT_NE(wrong_columns.status().message().find("line 2"), std::string::npos);
  EXPECT_NE(wrong_columns.status().message().find("found 3"), std::string::npos);

  auto twice = ParseManifest("a a - 1\nb b - 1\na c - 1\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("line 3: service a is listed twice"), std::string::npos);
}

TEST(ManifestTest, RejectsBadGrace) {
  for (const char* grace : {"-1", "1.5", "10s", "3601", ""}) {
    auto r = ParseManifest(std::string("a a - ") + grace + "\n");
    EXPECT_FALSE(r.ok()) << grace;
  }
}

TEST(ManifestTest, AnEmptyManifestIsAnError) {
  EXPECT_FALSE(ParseManifest("# nothing\n\n").ok());
  EXPECT_FALSE(ParseManifest("").ok());
}

TEST(ManifestTest, MissingFileIsNotFound) {
  auto r = LoadManifest("/nonexistent/services.manifest");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
}

TEST(ProbeTest, ParsesEveryKindAndSpellsItBack) {
  for (const char* text : {"-", "tcp:127.0.0.1:2525", "ipc:/run/omnihub/query.sock", "http:127.0.0.1:9101/readyz",
                           "http:10.0.0.1:80/a/b?c=d"}) {
    auto probe = ParseProbe(text);
    ASSERT_TRUE(probe.ok()) << text << ": " << probe.status().ToString();
    EXPECT_EQ(probe->ToString(), text);
  }
}

TEST(ProbeTest, RejectsWhatItCannotProbe) {
  for (const char* text : {"", "tcp:", "tcp:127.0.0.1", "tcp:127.0.0.1:0", "tcp:127.0.0.1:65536",
                           "tcp:localhost:80", "tcp:127.0.0.1:80x", "ipc:", "http:127.0.0.1:9101",
                           "http:127.0.0.1/readyz", "udp:127.0.0.1:53", "readyz"}) {
    auto probe = ParseProbe(text);
    EXPECT_FALSE(probe.ok()) << text;
    if (!probe.ok()) {
      EXPECT_TRUE(probe.status().IsInvalidArgument()) << text;
    }
  }
  EXPECT_FALSE(ParseProbe("ipc:/" + std::string(200, 'x')).ok());
}

}  // namespace
}  // namespace omnihub::supervisor
