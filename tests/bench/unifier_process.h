// A real omnihub-unifier process for the benchmarks: writes its config (ipc://
// sockets and the database under one work directory), spawns the binary with its
// output in <workdir>/unifier.log, waits until it answers queries, reads its CPU
// time from /proc, and stops it with SIGTERM. On one host by default; with
// UnifierSetup::replica, a cluster-mode replica applying a partition stream
// (docs/cluster.md, "Unifier replicas").
//
// Thread-safety: none; one thread owns the process handle.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/config/config.h"
#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "tests/bench/bench_clock.h"

namespace omnihub::bench {

// The [cluster] part and the replica keys of [unifier] of a cluster-mode unifier.
struct ReplicaSetup {
  std::vector<std::string> nats_urls;  // cluster.nats_urls
  uint32_t stream_replicas = 3;        // cluster.replicas
  uint32_t partitions = 1;             // cluster.partitions
  uint32_t partition = 0;              // unifier.partition
  std::string replica_id;              // unifier.replica_id
};

struct UnifierSetup {
  std::string binary;             // path of omnihub-unifier
  std::string workdir;            // absolute; holds config, sockets, database and log
  uint32_t batch_max_events = 0;  // unifier.batch_max_events; 0 keeps the default
  std::optional<ReplicaSetup> replica = std::nullopt;  // set: a replica in cluster mode
};

class UnifierProcess {
 public:
  // Writes <workdir>/unifier.toml, starts the binary and waits up to `ready_timeout`
  // for a Stats answer. Unavailable (with the log's tail) if it exits or stays silent.
  static base::Result<std::unique_ptr<UnifierProcess>> Start(const UnifierSetup& setup, zmq::context_t& ctx,
                                                       std::chrono::seconds ready_timeout);
  // Kills the process (SIGKILL) if Stop was not called.
  ~UnifierProcess();
  UnifierProcess(const UnifierProcess&) = delete;
  UnifierProcess& operator=(const UnifierProcess&) = delete;

  const config::Config& config() const { return config_; }
  pid_t pid() const { return pid_; }

  // The unifier's counters, over the query endpoint.
  base::Result<v1::StatsResponse> Stats();
  // User + system CPU seconds the process has used so far; -1 if unreadable.
  double CpuSeconds() const;
  // The main thread, which runs the ingest loop (-1s once stopped).
  ThreadTimes MainThreadTimes() const;
  // SIGTERM, then waits up to `grace` for a clean exit (SIGKILL after it).
  // Internal if it had to be killed or exited non-zero; OK if already stopped.
  base::Status Stop(std::chrono::seconds grace);
  // The last `bytes` of the process's log, for error messages.
  std::string LogTail(size_t bytes) const;

 private:
  UnifierProcess(zmq::context_t& ctx, config::Config config, std::string log_path)
      : ctx_(ctx), config_(std::move(config)), log_path_(std::move(log_path)) {}
  // Non-blocking: true once the process has exited (and is reaped).
  bool Exited();

  zmq::context_t& ctx_;
  const config::Config config_;
  const std::string log_path_;
  pid_t pid_ = -1;
  int exit_status_ = 0;  // waitpid status, valid once pid_ == -1 after a wait
};

}  // namespace omnihub::bench
