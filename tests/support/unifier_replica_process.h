// A real omnihub-unifier process in cluster mode, for the replica tests against a real
// nats-server (tests/services/unifier/replica/nats/): writes its config (data dir, ipc
// endpoints, a free admin port, [unifier] partition and replica_id, [cluster] on the given
// server with one copy per stream), starts the binary as a child of the test with its output
// in DIR/unifier.log, and stops it by its own pid only (SIGTERM, or SIGKILL for a crash).
//
// Thread-safety: none; the test's thread drives it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/nats_server.h"

namespace omnihub::testing {

class UnifierReplicaProcess {
 public:
  // `bin_dir` holds omnihub-unifier; `data_dir` is the replica's (created if missing);
  // `digest_every` is [unifier] digest_every.
  UnifierReplicaProcess(std::string bin_dir, std::string data_dir, std::string replica_id, std::string nats_url,
                        uint32_t digest_every = 10000)
      : bin_dir_(std::move(bin_dir)), data_dir_(std::move(data_dir)), replica_id_(std::move(replica_id)) {
    std::filesystem::create_directories(data_dir_);
    admin_port_ = FreeLoopbackPort();
    std::ofstream config(config_path());
    config << "data_dir = \"" << data_dir_ << "\"\n"
           << "[bus]\ningest = \"ipc://" << data_dir_ << "/ingest.sock\"\n"
           << "changes = \"ipc://" << data_dir_ << "/changes.sock\"\n"
           << "query = \"ipc://" << data_dir_ << "/query.sock\"\n"
           << "[identity]\ndefault_region = \"US\"\n"
           << "[unifier]\ndb_dir = \"unifier\"\nbatch_max_events = 50\n"
           << "admin_listen = \"127.0.0.1:" << admin_port_ << "\"\npartition = 0\nreplica_id = \"" << replica_id_
           << "\"\ndigest_every = " << digest_every << "\n"
           << "[cluster]\nenabled = true\nnats_urls = [\"" << nats_url << "\"]\npartitions = 1\nreplicas = 1\n";
  }
  ~UnifierReplicaProcess() { Kill(); }
  UnifierReplicaProcess(const UnifierReplicaProcess&) = delete;
  UnifierReplicaProcess& operator=(const UnifierReplicaProcess&) = delete;

  void Start() {
    const std::string binary = bin_dir_ + "/omnihub-unifier";
    const std::string config = config_path();
    const std::string log = log_path();
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execl(binary.c_str(), binary.c_str(), "--config", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  // SIGKILL: the process dies with whatever it had not synced.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // The exit code once the process ended by itself within `timeout`; nullopt while it runs.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }

  std::string Log() const {
    std::ifstream in(log_path());
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }
  // The body of GET http://127.0.0.1:<admin port>/<path> (curl), "" when it did not answer 2xx.
  std::string AdminGet(const std::string& path) const {
    const std::string command = "curl -sf --max-time 5 http://127.0.0.1:" + std::to_string(admin_port_) + path;
    std::string body;
    if (FILE* out = ::popen(command.c_str(), "r")) {
      char buffer[4096];
      for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) body.append(buffer, n);
      if (::pclose(out) != 0) body.clear();
    }
    return body;
  }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& replica_id() const { return replica_id_; }
  std::string config_path() const { return data_dir_ + "/omnihub.toml"; }
  std::string log_path() const { return data_dir_ + "/unifier.log"; }

 private:
  std::string bin_dir_;
  std::string data_dir_;
  std::string replica_id_;
  uint16_t admin_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace omnihub::testing
