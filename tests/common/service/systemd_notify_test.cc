// NotifyReady and NotifyStopping against a real AF_UNIX datagram socket standing in for
// systemd's; tests/e2e/test_systemd_notify.py checks when the services send them.
#include "common/service/systemd_notify.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace omnihub::service {
namespace {

class SystemdNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("omnihub-notify-" + std::to_string(getpid()))).string();
    unlink(path_.c_str());
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    ASSERT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }

  void TearDown() override {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
    unlink(path_.c_str());
  }

  // The next datagram, or "" when none is waiting.
  std::string Received() {
    char buffer[512];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  }

  std::string path_;
  int fd_ = -1;
};

TEST_F(SystemdNotifyTest, ReadyCarriesOneStatusLine) {
  NotifyReady("serving: 3 events\nand more");
  EXPECT_EQ(Received(), "READY=1\nSTATUS=serving: 3 events and more");
  EXPECT_EQ(Received(), "");
}

TEST_F(SystemdNotifyTest, Stopping) {
  NotifyStopping();
  EXPECT_EQ(Received(), "STOPPING=1\nSTATUS=stopping");
}

TEST_F(SystemdNotifyTest, WithoutNotifySocketNothingIsSent) {
  unsetenv("NOTIFY_SOCKET");
  NotifyReady("ready");
  NotifyStopping();
  EXPECT_EQ(Received(), "");
}

}  // namespace
}  // namespace omnihub::service
