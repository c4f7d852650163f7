// One connection to a NATS cluster with its JetStream context, set up the way cluster mode
// needs it: the client pings every second and gives up on a server after max_pings_out
// unanswered pings, so a dead or cut-off server is noticed in seconds rather than after
// the client library's default two minutes (docs/cluster.md, "Partition log"), and it
// reconnects to another server of the list for as long as it lives.
//
// Thread-safety: the NATS client's connection and JetStream context are thread-safe; the
// object itself is immutable after Connect.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nats/nats.h>

#include "common/base/status.h"

namespace omnihub::bus::nats {

struct NatsConnectionOptions {
  // nats://HOST:PORT of one or more servers of the cluster; the client learns the others.
  std::vector<std::string> servers = {};
  // Shown by the server's monitoring (connz): which process this is.
  std::string name = "omnihub";
  int64_t ping_interval_ms = 1000;
  int max_pings_out = 2;
  int64_t connect_timeout_ms = 2000;
  int64_t reconnect_wait_ms = 250;
  // How long JetStream API requests (stream info, consumer creation, KV) wait.
  int64_t request_timeout_ms = 5000;
  // How long opening a key-value bucket at start-up keeps trying while the cluster does not
  // answer (OpenKeyValueBucket): longer than an election behind a leader stopped for 15 s.
  int64_t startup_wait_ms = 60000;
  // A NATS .creds file (user JWT and nkey seed) the client reads to authenticate; "" = none.
  std::string credentials_file = {};
};

class NatsConnection {
 public:
  // Connects to the first reachable server. Unavailable naming the servers when none is.
  static base::Result<std::unique_ptr<NatsConnection>> Connect(const NatsConnectionOptions& options);
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  natsConnection* connection() const { return connection_; }
  jsCtx* jetstream() const { return jetstream_; }
  const NatsConnectionOptions& options() const { return options_; }
  // The largest message the server takes (its max_payload), headers included.
  int64_t max_payload() const { return natsConnection_GetMaxPayload(connection_); }

 private:
  explicit NatsConnection(NatsConnectionOptions options) : options_(std::move(options)) {}

  const NatsConnectionOptions options_;
  natsConnection* connection_ = nullptr;
  jsCtx* jetstream_ = nullptr;
};

}  // namespace omnihub::bus::nats
