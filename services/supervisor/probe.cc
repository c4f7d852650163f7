#include "services/supervisor/probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace omnihub::supervisor {
namespace {

base::Result<Probe> ParseHostPort(Probe probe, std::string_view host_port, std::string_view spelled) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return base::Status::InvalidArgument("probe '" + std::string(spelled) + "' needs HOST:PORT");
  }
  probe.host = std::string(host_port.substr(0, colon));
  in_addr addr{};
  if (inet_pton(AF_INET, probe.host.c_str(), &addr) != 1) {
    return base::Status::InvalidArgument("probe '" + std::string(spelled) + "': host must be an IPv4 address");
  }
  std::string_view port = host_port.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
    return base::Status::InvalidArgument("probe '" + std::string(spelled) + "': bad port '" + std::string(port) + "'");
  }
  probe.port = static_cast<uint16_t>(value);
  return probe;
}

// Closes the descriptor on every path out of a probe.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A non-blocking connect that waits up to timeout_ms for the outcome.
bool Connect(int fd, const sockaddr* addr, socklen_t len, int timeout_ms) {
  if (connect(fd, addr, len) == 0) return true;
  if (errno != EINPROGRESS && errno != EAGAIN) return false;
  pollfd p{fd, POLLOUT, 0};
  if (poll(&p, 1, timeout_ms) != 1) return false;
  int error = 0;
  socklen_t error_len = sizeof error;
  return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) == 0 && error == 0;
}

bool ConnectTcp(const Fd& fd, const Probe& probe, int timeout_ms) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(probe.port);
  if (inet_pton(AF_INET, probe.host.c_str(), &addr.sin_addr) != 1) return false;
  return fd.get() >= 0 && Connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr, timeout_ms);
}

bool ProbeIpc(const Probe& probe, int timeout_ms) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (probe.path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, probe.path.data(), probe.path.size());
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  return fd.get() >= 0 && Connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr, timeout_ms);
}

// Sends GET and reads the status line: ready on "HTTP/1.x 200".
bool ProbeHttp(const Probe& probe, int timeout_ms) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!ConnectTcp(fd, probe, timeout_ms)) return false;
  std::string request = "GET " + probe.path + " HTTP/1.1\r\nHost: " + probe.host + ":" + std::to_string(probe.port) +
                        "\r\nConnection: close\r\n\r\n";
  if (send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    return false;
  }
  std::string reply;
  while (reply.size() < 12) {
    pollfd p{fd.get(), POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return false;
    char buf[64];
    ssize_t n = recv(fd.get(), buf, sizeof buf, 0);
    if (n <= 0) return false;
    reply.append(buf, static_cast<size_t>(n));
  }
  return reply.rfind("HTTP/1.", 0) == 0 && reply.compare(8, 4, " 200") == 0;
}

}  // namespace

base::Result<Probe> ParseProbe(std::string_view text) {
  Probe probe;
  if (text == "-") return probe;
  if (text.starts_with("tcp:")) {
    probe.kind = Probe::Kind::kTcp;
    return ParseHostPort(std::move(probe), text.substr(4), text);
  }
  if (text.starts_with("ipc:")) {
    probe.kind = Probe::Kind::kIpc;
    probe.path = std::string(text.substr(4));
    if (probe.path.empty()) return base::Status::InvalidArgument("probe '" + std::string(text) + "' needs a socket path");
    if (probe.path.size() >= sizeof(sockaddr_un::sun_path)) {
      return base::Status::InvalidArgument("probe '" + std::string(text) + "': socket path too long for AF_UNIX");
    }
    return probe;
  }
  if (text.starts_with("http:")) {
    probe.kind = Probe::Kind::kHttp;
    std::string_view rest = text.substr(5);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      return base::Status::InvalidArgument("probe '" + std::string(text) + "' needs a path (http:HOST:PORT/PATH)");
    }
    probe.path = std::string(rest.substr(slash));
    return ParseHostPort(std::move(probe), rest.substr(0, slash), text);
  }
  return base::Status::InvalidArgument("unknown probe '" + std::string(text) + "' (use -, tcp:, ipc: or http:)");
}

std::string Probe::ToString() const {
  switch (kind) {
    case Kind::kNone:
      return "-";
    case Kind::kTcp:
      return "tcp:" + host + ":" + std::to_string(port);
    case Kind::kIpc:
      return "ipc:" + path;
    case Kind::kHttp:
      return "http:" + host + ":" + std::to_string(port) + path;
  }
  return "?";
}

bool RunProbe(const Probe& probe, int timeout_ms) {
  switch (probe.kind) {
    case Probe::Kind::kNone:
      return true;
    case Probe::Kind::kTcp: {
      Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
      return ConnectTcp(fd, probe, timeout_ms);
    }
    case Probe::Kind::kIpc:
      return ProbeIpc(probe, timeout_ms);
    case Probe::Kind::kHttp:
      return ProbeHttp(probe, timeout_ms);
  }
  return false;
}

}  // namespace omnihub::supervisor
