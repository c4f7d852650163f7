// The readiness probes against real loopback listeners (port 0, temp socket paths).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "services/supervisor/probe.h"

namespace omnihub::supervisor {
namespace {

// A listening loopback TCP socket on a free port.
class TcpListener {
 public:
  TcpListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~TcpListener() { Close(); }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

Probe Parsed(const std::string& text) {
  auto probe = ParseProbe(text);
  EXPECT_TRUE(probe.ok()) << text;
  return probe.ok() ? *probe : Probe{};
}

// Accepts one connection, reads the request, answers `reply`.
std::thread AnswerOnce(int listen_fd, std::string reply) {
  return std::thread([listen_fd, reply] {
    int fd = accept(listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    char buf[1024];
    (void)!read(fd, buf, sizeof buf);
    (void)!write(fd, reply.data(), reply.size());
    close(fd);
  });
}

TEST(ProbeRunTest, NoneIsAlwaysReady) { EXPECT_TRUE(RunProbe(Probe{}, 100)); }

TEST(ProbeRunTest, TcpIsReadyWhileSomethingListens) {
  TcpListener listener;
  const Probe probe = Parsed("tcp:127.0.0.1:" + std::to_string(listener.port()));
  EXPECT_TRUE(RunProbe(probe, 200));
  listener.Close();
  EXPECT_FALSE(RunProbe(probe, 200));
}

TEST(ProbeRunTest, IpcIsReadyWhileTheSocketListensNotForAStaleFile) {
  char dir[] = "/tmp/omnihub-probe-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/query.sock";
  const Probe probe = Parsed("ipc:" + path);
  EXPECT_FALSE(RunProbe(probe, 200));  // no file yet

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  EXPECT_TRUE(RunProbe(probe, 200));
  close(fd);  // the file stays, as after a SIGKILL
  EXPECT_FALSE(RunProbe(probe, 200));
  unlink(path.c_str());
  rmdir(dir);
}

TEST(ProbeRunTest, HttpIsReadyOnlyOnStatus200) {
  TcpListener listener;
  const Probe probe = Parsed("http:127.0.0.1:" + std::to_string(listener.port()) + "/readyz");
  auto ok = AnswerOnce(listener.fd(), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(RunProbe(probe, 1000));
  ok.join();
  auto unavailable = AnswerOnce(listener.fd(), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(RunProbe(probe, 1000));
  unavailable.join();
  auto closed = AnswerOnce(listener.fd(), "");
  EXPECT_FALSE(RunProbe(probe, 1000));
  closed.join();
}

}  // namespace
}  // namespace omnihub::supervisor
