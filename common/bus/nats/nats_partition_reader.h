// Reads one partition's stream in order from a position, for a unifier replica: an
// ephemeral pull consumer that starts at LogContinuity::next_position() (JetStream's
// DeliverByStartSequence, no acks: the replica's own RocksDB records how far it applied,
// so the server keeps nothing per reader but the consumer itself).
//
// Continuity (partition_log.h): the stream's state is checked when the consumer is made
// and whenever a Read finds nothing (that is when a deleted and recreated stream shows:
// its consumer went with it); every message's stream sequence must be above the last one
// handed out, and follow it with no gap unless the stream's leader says the positions
// between were deleted (a consumer that skipped is made again). A consumer that failed (a
// server lost, a reconnect) is dropped and made again from the next position by the next
// Read, so a failover loses and repeats nothing; so is one that delivers nothing while the
// stream holds frames beyond the next position (its server was lost and the fetch requests
// go unanswered). Every frame of a read is checked with the stream's leader (its message id
// at that position, leader_message_ids.h): a consumer's server serving another history at
// any of those positions is dropped, and nothing of that read is handed out.
//
// Thread-safety: none; one replica thread reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bus/nats/leader_message_ids.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus::nats {

class NatsPartitionReader final : public PartitionLogReader {
 public:
  // `connection` must outlive the reader. `last_message_id`: the message the replica applied at
  // continuity.next_position() - 1 ("" when none or unknown).
  NatsPartitionReader(NatsConnection& connection, std::string stream, std::string subject, LogContinuity continuity,
                      std::string last_message_id = {});

  base::Result<std::vector<LogRecord>> Read(size_t max_records, std::chrono::milliseconds wait) override;
  uint64_t next_position() const override { return continuity_.next_position(); }
  int64_t created_ns() const override { return continuity_.created_ns(); }

  // Checks the stream's state against what this reader followed (LogContinuity::CheckState).
  base::Status CheckStream();

 private:
  // The Nats-Msg-Id of `position` as the stream's leader holds it; nullopt when the position
  // was deleted.
  base::Result<std::optional<std::string>> MessageIdAt(uint64_t position);
  // Read, from the consumer, before its records are checked with the leader.
  base::Result<std::vector<LogRecord>> ReadFromConsumer(size_t max_records, std::chrono::milliseconds wait);
  // The pull consumer from next_position(), made if there is none.
  base::Status EnsureConsumer();

  NatsConnection& connection_;
  const std::string stream_;
  const std::string subject_;
  LogContinuity continuity_;
  NatsPtr<natsSubscription> subscription_;
  LeaderMessageIds leader_;
  uint64_t last_seen_position_ = 0;  // the stream's last position at the last CheckStream
  // The last frame handed out (or applied before the reader was made): every read first checks
  // that the leader still holds it, so that a replica never goes on along another copy of the
  // stream than the one it applied. Position 0 or an empty id: not checked.
  uint64_t last_position_ = 0;
  std::string last_message_id_;
};

}  // namespace omnihub::bus::nats
