// Parsing the bus endpoints (common/bus/endpoint.h).
#include "common/bus/endpoint.h"

#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace omnihub::bus {
namespace {

using ::testing::HasSubstr;

TEST(EndpointTest, IpcPathAndAbstractName) {
  auto file = ParseEndpoint("ipc:///run/omnihub/ingest.sock");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->transport, Transport::kIpc);
  EXPECT_EQ(file->address, "/run/omnihub/ingest.sock");
  EXPECT_FALSE(file->abstract);
  auto abstract = ParseEndpoint("ipc://@omnihub-changes");
  ASSERT_TRUE(abstract.ok()) << abstract.status().ToString();
  EXPECT_TRUE(abstract->abstract);
}

TEST(EndpointTest, TcpHostAndPort) {
  auto v4 = ParseEndpoint("tcp://127.0.0.1:5555");
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(v4->transport, Transport::kTcp);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 5555);
  auto v6 = ParseEndpoint("tcp://[::1]:65535");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_TRUE(ParseEndpoint("tcp://hub.internal:7000").ok());
  EXPECT_TRUE(ParseEndpoint("tcp://*:7000").ok());
}

TEST(EndpointTest, InprocName) {
  auto e = ParseEndpoint("inproc://monitor-1");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->transport, Transport::kInproc);
}

TEST(EndpointTest, RejectsWhatZeroMqWouldRefuseLater) {
  for (const char* bad : {"", "run/ingest.sock", "ipc:/run/x.sock", "tpc://127.0.0.1:5555", "ipc://", "ipc://@",
                          "ipc://run/", "tcp://127.0.0.1", "tcp://:5555", "tcp://127.0.0.1:0", "tcp://127.0.0.1:*",
                          "tcp://127.0.0.1:65536", "tcp://127.0.0.1:55x", "tcp://::1:5555", "inproc://"}) {
    auto e = ParseEndpoint(bad);
    EXPECT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), base::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(ParseEndpoint("udp://h:1").status().message(), HasSubstr("unknown transport 'udp://'"));
  EXPECT_THAT(ParseEndpoint("tcp://h").status().message(), HasSubstr("tcp:// needs HOST:PORT"));
}

TEST(EndpointTest, IpcPathLongerThanASocketAllowsIsRejected) {
  EXPECT_TRUE(ParseEndpoint("ipc://" + std::string(kMaxIpcPathBytes, 'a')).ok());
  auto e = ParseEndpoint("ipc://" + std::string(kMaxIpcPathBytes + 1, 'a'));
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.status().message(), HasSubstr("108 bytes, more than the 107"));
}

TEST(EndpointTest, PrepareCreatesTheSocketDirectoryOnlyForIpcFiles) {
  const auto dir = std::filesystem::temp_directory_path() / ("omnihub_endpoint_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(PrepareEndpointDirectory("ipc://" + (dir / "run" / "in.sock").string()).ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "run"));
  EXPECT_TRUE(PrepareEndpointDirectory("ipc://@abstract").ok());
  EXPECT_TRUE(PrepareEndpointDirectory("tcp://127.0.0.1:5555").ok());
  EXPECT_FALSE(PrepareEndpointDirectory("tpc://127.0.0.1:5555").ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace omnihub::bus
