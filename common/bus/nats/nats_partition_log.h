// The partition log of cluster mode on NATS JetStream (docs/cluster.md, "Partition log"):
// partition N is the stream OMNI_Pnn (two digits at least: OMNI_P00, OMNI_P01, ...) with the
// one subject omni.pnn.events, file storage, `replicas` copies and a duplicate window in
// which JetStream drops a second message with the same Nats-Msg-Id header (the
// LogMessageId "<publisher>/<partition>/<sequence>"). A stream position is the JetStream
// stream sequence.
//
// Append is a synchronous JetStream publish that waits at most publish_timeout_ms for the
// stream leader's acknowledgement (which JetStream sends once a majority of the replicas
// stored the message). A timeout is Unavailable, and the caller appends again under the
// same id: inside the duplicate window JetStream keeps one copy; beyond it the replicas'
// per-publisher marks drop the copy. Readers (nats_partition_reader.h) pull the stream in
// order from a position.
//
// Thread-safety: thread-safe (the NATS connection is); readers are used by one thread each.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/bus/nats/nats_connection.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus::nats {

struct NatsLogOptions {
  uint32_t partitions = 1;
  // Copies of every stream; 3 in a cluster (survives one server lost), 1 on a lone server.
  int replicas = 3;
  // How long JetStream remembers a message id to drop a resend (its default: 2 minutes).
  int64_t duplicate_window_ms = 120'000;
  // How long Append waits for the stream's acknowledgement.
  int64_t publish_timeout_ms = 2000;
};

// "OMNI_P03" and "omni.p03.events" for partition 3.
std::string PartitionStreamName(uint32_t partition);
std::string PartitionSubject(uint32_t partition);

class NatsPartitionLog final : public PartitionLogWriter, public PartitionLogSource {
 public:
  // `connection` must outlive the log and its readers.
  NatsPartitionLog(NatsConnection& connection, NatsLogOptions options);

  // Creates the partition streams that do not exist; one that exists with other settings
  // is left alone and reported (FailedPrecondition). Call once at start-up (idempotent).
  base::Status EnsureStreams();

  base::Result<LogAppendAck> Append(uint32_t partition, std::string_view message_id, std::string_view frame) override;
  uint32_t partition_count() const override { return options_.partitions; }
  base::Result<std::unique_ptr<PartitionLogReader>> OpenReader(uint32_t partition, LogReadStart start) override;

  // The stream's state now (created time, first and last sequence).
  base::Result<LogState> State(uint32_t partition) const;

 private:
  NatsConnection& connection_;
  const NatsLogOptions options_;
};

// A stream's state as LogState; `stream` names it in errors.
base::Result<LogState> ReadStreamState(NatsConnection& connection, const std::string& stream);

}  // namespace omnihub::bus::nats
