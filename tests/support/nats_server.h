// Real nats-server processes for the tests of common/bus/nats/: each one a child of the
// test, on loopback with ports picked free (FreeLoopbackPort), JetStream on (-js) with its
// store in a temp dir, its log in that dir (server.log, printed by the test on failure).
// Stopped by the destructor or Kill() with SIGKILL to its own pid, never by name; Pause()
// and Resume() send SIGSTOP and SIGCONT (a server that hangs).
//
// Cluster: give each server the same cluster name and the others' cluster ports as routes
// (NatsCluster below starts three that way).
//
// No nats-server installed is a test failure naming the package, not a skip: Start says so
// (kNatsServerMissing). Without GoogleTest, so that the NATS benchmark starts its servers
// the same way.
//
// Thread-safety: none; the test's thread starts and stops its servers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace omnihub::testing {

// The nats-server binary (on PATH, else /usr/sbin where Debian puts it); "" when none.
inline std::string FindNatsServer() {
  std::vector<std::string> dirs;
  if (const char* path = ::getenv("PATH")) {
    std::stringstream in(path);
    for (std::string dir; std::getline(in, dir, ':');) dirs.push_back(dir);
  }
  dirs.push_back("/usr/sbin");
  for (const auto& dir : dirs) {
    const std::string candidate = dir + "/nats-server";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

inline constexpr char kNatsServerMissing[] =
    "nats-server not found on PATH or in /usr/sbin: install the Debian package nats-server "
    "(scripts/install-deps.sh lists it)";

// Whether a TCP socket on 127.0.0.1:`port` can be bound (`bind`) or connected to.
inline bool LoopbackSocketCall(uint16_t port, bool bind) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const auto* address = reinterpret_cast<sockaddr*>(&addr);
  const bool ok = (bind ? ::bind(fd, address, sizeof addr) : ::connect(fd, address, sizeof addr)) == 0;
  ::close(fd);
  return ok;
}

// A loopback TCP port that was free a moment ago, below the kernel's range of ephemeral
// ports: a port picked inside it (bind to port 0) can be taken, before the server binds it,
// as the source port of an outgoing connection - such as another cluster member's route.
inline uint16_t FreeLoopbackPort() {
  int ephemeral_low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> ephemeral_low;
  const int low = 10000;
  const int high = std::max(low + 1000, ephemeral_low);
  std::random_device seed;
  std::mt19937 engine(seed());
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto port = static_cast<uint16_t>(std::uniform_int_distribution<int>(low, high - 1)(engine));
    if (LoopbackSocketCall(port, /*bind=*/true)) return port;
  }
  return 0;
}

// True once something accepts TCP connections on 127.0.0.1:`port`.
inline bool LoopbackPortAccepts(uint16_t port) { return LoopbackSocketCall(port, /*bind=*/false); }

class NatsServerProcess {
 public:
  struct Options {
    std::string name = "n1";
    uint16_t client_port = 0;   // 0: a free one
    uint16_t cluster_port = 0;  // 0: not clustered
    std::vector<uint16_t> route_ports = {};  // the other members' cluster ports
    std::string cluster_name = "omnihub-test";
  };

  explicit NatsServerProcess(Options options) : options_(std::move(options)) {
    if (options_.client_port == 0) options_.client_port = FreeLoopbackPort();
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-nats-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~NatsServerProcess() {
    Kill();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  NatsServerProcess(const NatsServerProcess&) = delete;
  NatsServerProcess& operator=(const NatsServerProcess&) = delete;

  // Starts the server and waits (up to 10 s) until it accepts clients and says it is ready.
  // "" when it did; otherwise what went wrong, with the server's log (tests:
  // ASSERT_EQ(server.Start(), "")).
  std::string Start() {
    const std::string binary = FindNatsServer();
    if (binary.empty()) return kNatsServerMissing;
    std::vector<std::string> args = {binary, "-js", "-a", "127.0.0.1", "-p", std::to_string(options_.client_port),
                                     "-n", options_.name, "-sd", dir_ + "/store", "-l", log_path()};
    if (options_.cluster_port != 0) {
      args.insert(args.end(), {"--cluster", "nats://127.0.0.1:" + std::to_string(options_.cluster_port),
                               "--cluster_name", options_.cluster_name});
      std::string routes;
      for (uint16_t port : options_.route_ports) {
        routes += (routes.empty() ? "" : ",") + std::string("nats://127.0.0.1:") + std::to_string(port);
      }
      if (!routes.empty()) args.insert(args.end(), {"--routes", routes});
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) return "fork failed";
    if (pid_ == 0) {
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    // The client port opens a moment before the server says it is ready (JetStream set up).
    while (!LoopbackPortAccepts(options_.client_port) || Log().find("Server is ready") == std::string::npos) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "nats-server " + options_.name + " exited at start; its log:\n" + Log();
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return "nats-server " + options_.name + " did not accept clients in 10 s; its log:\n" + Log();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "";
  }

  // SIGKILL and reap; a no-op when not running.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);  // a paused server must be able to die
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // SIGSTOP, and returns once every thread of the server is stopped (a signal is delivered
  // asynchronously: a thread running on another core could still answer a request).
  // SIGCONT. False when the signal could not be sent (or, for Pause, took over 5 s).
  bool Pause() {
    if (pid_ <= 0 || ::kill(pid_, SIGSTOP) != 0) return false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!AllThreadsStopped()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }
  bool Resume() { return pid_ > 0 && ::kill(pid_, SIGCONT) == 0; }

  std::string url() const { return "nats://127.0.0.1:" + std::to_string(options_.client_port); }
  const std::string& name() const { return options_.name; }
  bool running() const { return pid_ > 0; }
  std::string Log() const {
    std::ifstream in(log_path());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string log_path() const { return dir_ + "/server.log"; }
  // Every thread's state in /proc is 't' or 'T' (stopped).
  bool AllThreadsStopped() const {
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
      std::ifstream stat(task.path() / "stat");
      std::string line;
      std::getline(stat, line);
      const size_t paren = line.rfind(')');  // the state follows "(comm) "
      if (paren == std::string::npos || paren + 2 >= line.size()) return false;
      const char state = line[paren + 2];
      if (state != 'T' && state != 't') return false;
    }
    return !ec;
  }

  Options options_;
  std::string dir_;
  pid_t pid_ = -1;
};

// Three clustered servers n1..n3 on loopback, each routed to the other two.
class NatsCluster {
 public:
  NatsCluster() {
    std::vector<uint16_t> cluster_ports;
    for (int i = 0; i < 3; ++i) cluster_ports.push_back(FreeLoopbackPort());
    for (int i = 0; i < 3; ++i) {
      std::vector<uint16_t> routes;
      for (int j = 0; j < 3; ++j) {
        if (j != i) routes.push_back(cluster_ports[j]);
      }
      servers_.push_back(std::make_unique<NatsServerProcess>(NatsServerProcess::Options{
          .name = "n" + std::to_string(i + 1), .cluster_port = cluster_ports[i], .route_ports = routes}));
    }
  }
  // As NatsServerProcess::Start, for the three.
  std::string Start() {
    for (auto& server : servers_) {
      if (std::string error = server->Start(); !error.empty()) return error;
    }
    return "";
  }
  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& server : servers_) out.push_back(server->url());
    return out;
  }
  // The server called `name` ("n2"); nullptr when there is none.
  NatsServerProcess* Named(const std::string& name) {
    for (auto& server : servers_) {
      if (server->name() == name) return server.get();
    }
    return nullptr;
  }
  std::string Logs() const {
    std::string out;
    for (const auto& server : servers_) out += "--- " + server->name() + "\n" + server->Log();
    return out;
  }

 private:
  std::vector<std::unique_ptr<NatsServerProcess>> servers_;
};

}  // namespace omnihub::testing
