// The partition log: the ordered, replicated path between the adapters and the unifier
// replicas of cluster mode (docs/cluster.md, "Partition log"). Tenants are spread over
// partitions; each partition is one log in which every frame has a position (1, 2, ...,
// never reused) and a message id "<publisher>/<partition>/<sequence>" by which the log
// drops a frame published twice (a resend after a timeout or a reconnect).
//
// Two sides:
// - PartitionLogWriter, what an adapter's sender publishes its outbox entries to: Append
//   returns once the log holds the frame (its position) or fails with a Status that says
//   what to do; on a failure the entry simply stays in the outbox and is appended again
//   under the same message id.
// - PartitionLogReader, what a unifier replica applies from: the frames of one partition,
//   in order, from a position it chose (the one after what it applied). A reader never
//   hands out a position at or below one it handed out before, and stops with
//   FailedPrecondition when the log under it was rewound or recreated (LogContinuity
//   below), because applying a different history would make the replica diverge.
//
// Implementations: MemoryPartitionLog (memory_partition_log.h, in-process, for unit tests),
// NatsPartitionLog (common/bus/nats/, cluster mode), ZmqPartitionLogWriter
// (zmq_partition_log_writer.h, the single-host ZeroMQ bus behind the writer interface).
//
// Thread-safety: LogMessageId and LogContinuity are plain values (one reader owns its
// LogContinuity); implementations say their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::bus {

// Who published a frame, to which partition, under which of its outbox sequences. Its
// text form is the log's dedup key (JetStream's Nats-Msg-Id header).
struct LogMessageId {
  std::string publisher_id;
  uint32_t partition = 0;
  uint64_t sequence = 0;

  // "<publisher>/<partition>/<sequence>", e.g. "email-0f3a9c2b7d1e4a55/3/1042".
  std::string ToString() const;
  bool operator==(const LogMessageId&) const = default;
};
// Inverse of LogMessageId::ToString. InvalidArgument naming the defect (a publisher id
// that is empty or holds '/', a partition or sequence that is not a decimal number, a
// sequence of 0).
base::Result<LogMessageId> ParseLogMessageId(std::string_view text);

// What the log answered to an append.
struct LogAppendAck {
  uint64_t position = 0;   // where the frame is in its partition
  bool duplicate = false;  // the message id was already there: `position` is the first copy's
};

// One frame as a reader hands it out.
struct LogRecord {
  uint64_t position = 0;
  std::string message_id;  // as appended; LogMessageId text
  std::string frame;       // the bytes appended (a serialized omnihub.v1.BusFrame)
};

// What a partition's log looks like now; a reader compares it with what it knew.
struct LogState {
  // When this incarnation of the log was created (nanoseconds since the epoch, the log's
  // own clock): it changes when the log is deleted and created again.
  int64_t created_ns = 0;
  uint64_t first_position = 0;  // the oldest position still held (0 when empty)
  uint64_t last_position = 0;   // the newest position (0 when nothing was ever appended)
};

// Where a reader starts: what the replica stored with its last applied frame.
struct LogReadStart {
  uint64_t next_position = 1;  // the position after the last one applied
  // The log's created_ns as the replica first saw it; 0 for a replica that has applied
  // nothing yet (any incarnation is accepted and remembered).
  int64_t created_ns = 0;
  // The message id of the frame at next_position - 1 that the replica applied; "" when none
  // or unknown. A reader that can ask the log which message it holds there (NATS) reads on only
  // while the log's copy still holds that one.
  std::string last_message_id = {};
};

// The checks that keep a replica on one history of its partition, shared by every reader.
class LogContinuity {
 public:
  // `log_name` names the log in messages ("stream OMNI_P03").
  LogContinuity(std::string log_name, LogReadStart start);

  // Checks the log's current state: FailedPrecondition when it was recreated (created_ns
  // differs from the remembered one), rewound (its last position is below what was
  // handed out, in kRewindChecks checks in a row; Unavailable before, since a new leader
  // still catching up says so for a while too) or no longer holds next_position() (its first
  // position is beyond it: frames the replica never applied are gone). Remembers created_ns
  // when it had none.
  base::Status CheckState(const LogState& state);
  static constexpr int kRewindChecks = 50;
  // Checks the position of the next frame handed out: it must be above every earlier one
  // (FailedPrecondition otherwise). A gap (deleted messages) is accepted.
  base::Status Accept(uint64_t position);

  uint64_t next_position() const { return next_position_; }
  int64_t created_ns() const { return created_ns_; }
  const std::string& log_name() const { return log_name_; }

 private:
  std::string log_name_;
  uint64_t next_position_;
  int64_t created_ns_;
  int rewind_checks_ = 0;  // checks in a row that found the log's end below what was read
};

class PartitionLogWriter {
 public:
  PartitionLogWriter() = default;
  virtual ~PartitionLogWriter() = default;
  PartitionLogWriter(const PartitionLogWriter&) = delete;
  PartitionLogWriter& operator=(const PartitionLogWriter&) = delete;

  // Appends `frame` to `partition` under `message_id` (LogMessageId text; its partition
  // must be `partition`). OK once the log holds the frame; a message id already held
  // answers the first copy's position with duplicate = true and adds nothing.
  // InvalidArgument for a partition out of range, a malformed or mismatched id, a frame
  // the log cannot take (too large); Unavailable when the log did not answer in time or
  // cannot be reached (append again later, with the same id). Blocks up to the
  // implementation's timeout.
  virtual base::Result<LogAppendAck> Append(uint32_t partition, std::string_view message_id,
                                            std::string_view frame) = 0;
  // Partitions 0 .. partition_count() - 1 exist.
  virtual uint32_t partition_count() const = 0;
};

class PartitionLogReader {
 public:
  PartitionLogReader() = default;
  virtual ~PartitionLogReader() = default;
  PartitionLogReader(const PartitionLogReader&) = delete;
  PartitionLogReader& operator=(const PartitionLogReader&) = delete;

  // Up to `max_records` frames from next_position() on, in position order, waiting up to
  // `wait` for the first one (an empty vector when none came). FailedPrecondition when
  // the log was rewound or recreated (LogContinuity): the replica must stop, not go on.
  // Unavailable when the log cannot be reached; the next Read tries again from the same
  // position.
  virtual base::Result<std::vector<LogRecord>> Read(size_t max_records, std::chrono::milliseconds wait) = 0;
  // The position the next Read starts at.
  virtual uint64_t next_position() const = 0;
  // The log incarnation this reader follows (LogState::created_ns), for the replica to
  // store with its applied position.
  virtual int64_t created_ns() const = 0;
};

// What opens readers: one per partition a replica applies.
class PartitionLogSource {
 public:
  PartitionLogSource() = default;
  virtual ~PartitionLogSource() = default;
  PartitionLogSource(const PartitionLogSource&) = delete;
  PartitionLogSource& operator=(const PartitionLogSource&) = delete;

  // A reader of `partition` from `start`. Fails as PartitionLogReader::Read does when the
  // log already fails LogContinuity::CheckState; InvalidArgument for a partition out of
  // range.
  virtual base::Result<std::unique_ptr<PartitionLogReader>> OpenReader(uint32_t partition,
                                                                       LogReadStart start) = 0;
};

// `partition` below `partition_count`; InvalidArgument saying which partitions exist otherwise.
base::Status CheckPartition(uint32_t partition, uint32_t partition_count);
// The check every writer makes of Append's arguments: `partition` below `partition_count`
// and `message_id` a LogMessageId naming that partition. InvalidArgument otherwise.
base::Status CheckAppendArguments(uint32_t partition, uint32_t partition_count, std::string_view message_id);

}  // namespace omnihub::bus
