// The unifier's socket side of ingest: a ROUTER socket that publishers' DEALERs
// connect to, and a PUB socket for committed-change notifications. Each loop turn
// drains what has arrived (up to batch_max_events frames) and hands it to the decode
// stage (decode_stage.h); meanwhile it gives the batch of the previous turn, decoded, to the
// BatchProcessor, which commits it in one synced WriteBatch, then sends the acks and
// publishes the changes. Batches are applied in the order they arrived, and nothing is
// acknowledged before it is committed.
//
// Thread-safety: Run() owns both sockets; call it from one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/status.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/ingest/change_publisher.h"
#include "services/unifier/ingest/decode_stage.h"
#include "services/unifier/unifier_metrics.h"

namespace omnihub::unifier {

// Largest bus frame accepted; a bigger one drops the peer's connection (ZMQ_MAXMSGSIZE).
inline constexpr int64_t kMaxIngestFrameBytes = 64 << 20;

class IngestServer {
 public:
  // `processor`, `clock` (times the commits) and `metrics` must outlive the server.
  IngestServer(zmq::context_t& ctx, BatchProcessor& processor, uint32_t batch_max_events, base::Clock& clock,
               UnifierMetrics& metrics);

  // Binds the ingest ROUTER and the changes PUB endpoints.
  base::Status Bind(const std::string& ingest_endpoint, const std::string& changes_endpoint);

  // Serves until `stop` becomes true. Returns an error only for a storage failure
  // (the process should exit; its supervisor restarts it and publishers resend).
  base::Status Run(const std::atomic<bool>& stop);

 private:
  // The frames that have arrived, at most batch_max_events_.
  std::vector<InboundFrame> Receive();
  // Commit, then sends the batch's acks and publishes its changes.
  base::Status CommitAndAnswer(std::vector<DecodedFrame> frames);
  // Applies and commits one decoded batch, counting it in the metrics.
  base::Result<BatchResult> Commit(std::vector<DecodedFrame> frames);

  BatchProcessor& processor_;
  base::Clock& clock_;
  UnifierMetrics& metrics_;
  const uint32_t batch_max_events_;
  zmq::socket_t router_;
  ChangePublisher changes_;
  DecodeStage decode_stage_;
};

}  // namespace omnihub::unifier
