// The fixture of the tests that need one nats-server: SetUp starts it (tests/support/
// nats_server.h) and connects `connection_` to it; a failing test prints the server's log.
// The test classes derive from it and build what they test on connection_ in their own
// SetUp, after calling this one.
//
// Thread-safety: as a GoogleTest fixture (the test's thread).
#pragma once

#include <iostream>
#include <memory>
#include <utility>

#include <gtest/gtest.h>

#include "common/bus/nats/nats_connection.h"
#include "tests/support/nats_server.h"

namespace omnihub::testing {

class NatsSoloTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server_.Start(), "");
    auto connection = bus::nats::NatsConnection::Connect(
        {.servers = {server_.url()}, .name = ::testing::UnitTest::GetInstance()->current_test_info()->name()});
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(*connection);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "nats-server log:\n" << server_.Log();
  }

  NatsServerProcess server_{{.name = "solo"}};
  std::unique_ptr<bus::nats::NatsConnection> connection_;
};

}  // namespace omnihub::testing
