#include "common/bus/memory_partition_log.h"

#include <algorithm>
#include <utility>

namespace omnihub::bus {

// A reader keeps its own position and continuity; the log only serves records.
class MemoryPartitionLog::Reader final : public PartitionLogReader {
 public:
  Reader(MemoryPartitionLog& log, uint32_t partition, LogContinuity continuity)
      : log_(log), partition_(partition), continuity_(std::move(continuity)) {}

  base::Result<std::vector<LogRecord>> Read(size_t max_records, std::chrono::milliseconds wait) override {
    LogState state;
    auto records = log_.ReadFrom(partition_, continuity_.next_position(), max_records, wait, &state);
    if (!records.ok()) return records.status();
    OMNIHUB_RETURN_IF_ERROR(continuity_.CheckState(state));
    for (const auto& record : *records) OMNIHUB_RETURN_IF_ERROR(continuity_.Accept(record.position));
    return records;
  }
  uint64_t next_position() const override { return continuity_.next_position(); }
  int64_t created_ns() const override { return continuity_.created_ns(); }

 private:
  MemoryPartitionLog& log_;
  const uint32_t partition_;
  LogContinuity continuity_;
};

MemoryPartitionLog::MemoryPartitionLog(uint32_t partition_count) : partitions_(partition_count) {
  for (auto& partition : partitions_) partition.created_ns = next_created_ns_++;
}

LogState MemoryPartitionLog::StateOf(const Partition& p) {
  return {.created_ns = p.created_ns,
          .first_position = p.records.empty() ? uint64_t{0} : uint64_t{1},
          .last_position = p.records.size()};
}

std::string MemoryPartitionLog::LogName(uint32_t partition) {
  return "memory log partition " + std::to_string(partition);
}

base::Result<LogAppendAck> MemoryPartitionLog::Append(uint32_t partition, std::string_view message_id,
                                                      std::string_view frame) {
  OMNIHUB_RETURN_IF_ERROR(CheckAppendArguments(partition, partition_count(), message_id));
  std::lock_guard lock(mu_);
  if (unreachable_) return base::Status::Unavailable(LogName(partition) + " is unreachable (test)");
  Partition& p = partitions_[partition];
  auto [it, inserted] = p.ids.emplace(std::string(message_id), p.records.size() + 1);
  if (!inserted) return LogAppendAck{.position = it->second, .duplicate = true};
  p.records.push_back({.position = it->second, .message_id = std::string(message_id), .frame = std::string(frame)});
  appended_.notify_all();
  return LogAppendAck{.position = it->second, .duplicate = false};
}

base::Result<std::unique_ptr<PartitionLogReader>> MemoryPartitionLog::OpenReader(uint32_t partition,
                                                                                 LogReadStart start) {
  OMNIHUB_RETURN_IF_ERROR(CheckPartition(partition, partition_count()));
  LogContinuity continuity(LogName(partition), start);
  OMNIHUB_RETURN_IF_ERROR(continuity.CheckState(State(partition)));
  return std::unique_ptr<PartitionLogReader>(std::make_unique<Reader>(*this, partition, std::move(continuity)));
}

base::Result<std::vector<LogRecord>> MemoryPartitionLog::ReadFrom(uint32_t partition, uint64_t next, size_t max,
                                                                  std::chrono::milliseconds wait, LogState* state) {
  std::unique_lock lock(mu_);
  // Waits for a record at `next` or later; a rewound or recreated log is reported by the
  // caller's continuity check on the state returned, not waited out.
  appended_.wait_for(lock, wait, [&] {
    const Partition& p = partitions_[partition];
    return unreachable_ || p.records.size() >= next || p.records.size() + 1 < next;
  });
  if (unreachable_) return base::Status::Unavailable(LogName(partition) + " is unreachable (test)");
  const Partition& p = partitions_[partition];
  *state = StateOf(p);
  std::vector<LogRecord> out;
  for (uint64_t position = next; position <= p.records.size() && out.size() < max; ++position) {
    out.push_back(p.records[position - 1]);
  }
  return out;
}

LogState MemoryPartitionLog::State(uint32_t partition) const {
  std::lock_guard lock(mu_);
  return StateOf(partitions_.at(partition));
}

void MemoryPartitionLog::Recreate(uint32_t partition) {
  std::lock_guard lock(mu_);
  partitions_.at(partition) = Partition{.created_ns = next_created_ns_++, .records = {}, .ids = {}};
  appended_.notify_all();
}

void MemoryPartitionLog::Rewind(uint32_t partition, uint64_t last_position) {
  std::lock_guard lock(mu_);
  Partition& p = partitions_.at(partition);
  while (p.records.size() > last_position) {
    p.ids.erase(p.records.back().message_id);
    p.records.pop_back();
  }
  appended_.notify_all();
}

void MemoryPartitionLog::SetUnreachable(bool unreachable) {
  std::lock_guard lock(mu_);
  unreachable_ = unreachable;
  appended_.notify_all();
}

}  // namespace omnihub::bus
