#include "common/net/listen_address.h"

#include <gtest/gtest.h>

namespace omnihub::net {
namespace {

TEST(ListenAddressTest, Ipv4AndBracketedIpv6Literals) {
  auto v4 = ParseListenAddress("x", "127.0.0.1:8081");
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(v4->address().to_string(), "127.0.0.1");
  EXPECT_EQ(v4->port(), 8081);
  auto v6 = ParseListenAddress("x", "[::1]:2525");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_TRUE(v6->address().is_v6());
  EXPECT_EQ(v6->port(), 2525);
  EXPECT_EQ(FormatEndpoint(*v4), "127.0.0.1:8081");
  EXPECT_EQ(FormatEndpoint(*v6), "[::1]:2525");
}

TEST(ListenAddressTest, PortZeroIsEphemeralUnlessRejected) {
  auto ephemeral = ParseListenAddress("x", "127.0.0.1:0");
  ASSERT_TRUE(ephemeral.ok());
  EXPECT_EQ(ephemeral->port(), 0);
  const base::Status rejected = ParseListenAddress("config: email.smtp_listen", "127.0.0.1:0", PortZero::kRejected).status();
  EXPECT_EQ(rejected.message(), "config: email.smtp_listen '127.0.0.1:0' has no valid port");
}

TEST(ListenAddressTest, ErrorsNameTheSettingAndTheDefect) {
  EXPECT_EQ(ParseListenAddress("http listen address", "127.0.0.1").status().message(),
            "http listen address '127.0.0.1' must be HOST:PORT");
  EXPECT_EQ(ParseListenAddress("http listen address", ":80").status().message(),
            "http listen address ':80' must be HOST:PORT");
  for (const char* bad_port : {"127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:x", "127.0.0.1:80x", "127.0.0.1:-1"}) {
    const base::Status s = ParseListenAddress("w", bad_port).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad_port;
    EXPECT_NE(s.message().find("has no valid port"), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(ParseListenAddress("w", "localhost:80").status().message(), "w 'localhost:80': bad IP address 'localhost'");
  EXPECT_TRUE(ParseListenAddress("w", "[::1:80").status().IsInvalidArgument());
}

}  // namespace
}  // namespace omnihub::net
