// A partition log held in memory: the PartitionLogWriter and PartitionLogSource contract
// without a server, for unit tests of what publishes to and applies from the log (the
// replica apply loop, the adapters' senders). It keeps every message id for dedup (no
// window) and can be made to misbehave as a real log can: Recreate (deleted and created
// again), Rewind (frames lost from its end) and Unreachable (every call Unavailable).
//
// Thread-safety: thread-safe; readers may be used from other threads than the writers.
// A reader must not outlive its log.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/partition_log.h"

namespace omnihub::bus {

class MemoryPartitionLog final : public PartitionLogWriter, public PartitionLogSource {
 public:
  explicit MemoryPartitionLog(uint32_t partition_count);

  base::Result<LogAppendAck> Append(uint32_t partition, std::string_view message_id, std::string_view frame) override;
  uint32_t partition_count() const override { return static_cast<uint32_t>(partitions_.size()); }
  base::Result<std::unique_ptr<PartitionLogReader>> OpenReader(uint32_t partition, LogReadStart start) override;

  // The partition's current state (what a reader checks).
  LogState State(uint32_t partition) const;
  // Deletes the partition's log and creates it empty again, with a later created_ns.
  void Recreate(uint32_t partition);
  // Drops every frame after `last_position` (and their message ids), as a log that lost
  // its newest writes does.
  void Rewind(uint32_t partition, uint64_t last_position);
  // While set, Append and Read fail with Unavailable.
  void SetUnreachable(bool unreachable);

 private:
  class Reader;
  struct Partition {
    int64_t created_ns = 0;
    std::vector<LogRecord> records;          // positions 1..records.size()
    std::map<std::string, uint64_t> ids;     // message id -> position
  };

  static LogState StateOf(const Partition& p);
  // Name of a partition's log in messages.
  static std::string LogName(uint32_t partition);
  // The records from `next` on (at most `max`), waiting up to `wait` for one. Called by Reader.
  base::Result<std::vector<LogRecord>> ReadFrom(uint32_t partition, uint64_t next, size_t max,
                                                std::chrono::milliseconds wait, LogState* state);

  mutable std::mutex mu_;
  std::condition_variable appended_;
  std::vector<Partition> partitions_;  // guarded by mu_
  int64_t next_created_ns_ = 1;        // guarded by mu_; a logical clock, so tests are reproducible
  bool unreachable_ = false;           // guarded by mu_
};

}  // namespace omnihub::bus
