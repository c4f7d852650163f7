// Where a publisher's outbox entries landed in the partition log, for read-your-writes
// tokens (docs/cluster.md "Read-your-writes"): the LogSender records, for each entry the log
// acknowledged, its partition and position; a writer that appended entries (EventSink::Append
// gave it their outbox sequences) waits here for them and answers the token "P:N" that a
// reader passes back as min_position. The log's acknowledgement is what makes the position
// known, so a write learns it one publish round trip after its entry is durable.
//
// The first position recorded for a sequence stays: a resend of the entry is either the same
// copy (the stream's dedup answers the first position) or a later copy that the replicas drop,
// so a reader needs only the first. The most recent `capacity` sequences are kept; a writer
// that asks for one forgotten since gets no position.
//
// Thread-safety: thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>

#include "common/bus/routing/read_position.h"

namespace omnihub::bus {

class AppendedPositions {
 public:
  // Enough for every entry a sender has in flight (its publisher window) and the writers
  // still waiting for them; 24 bytes and a map node each.
  static constexpr size_t kDefaultCapacity = 65536;

  explicit AppendedPositions(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  AppendedPositions(const AppendedPositions&) = delete;
  AppendedPositions& operator=(const AppendedPositions&) = delete;

  // The log acknowledged entry `sequence` at `at`. Wakes the writers waiting for it.
  void Record(uint64_t sequence, ReadPosition at);

  // The position a reader must have reached to see every entry of `sequences`: the highest
  // of their positions. Waits up to `timeout` for the ones not recorded yet. nullopt when one
  // is still not recorded by then (or was forgotten), when `sequences` is empty, or when they
  // went to more than one partition (a token names one).
  std::optional<ReadPosition> WaitFor(std::span<const uint64_t> sequences, std::chrono::milliseconds timeout) const;

 private:
  // Under mu_: every sequence recorded or forgotten.
  bool AllSettled(std::span<const uint64_t> sequences) const;

  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable recorded_;
  std::map<uint64_t, ReadPosition> positions_;  // guarded by mu_; by outbox sequence
  uint64_t forgotten_through_ = 0;              // guarded by mu_; sequences <= this were dropped
};

}  // namespace omnihub::bus
