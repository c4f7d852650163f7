// The newest committed changes in memory, each with its SSE frame formatted once, so that
// the live fan-out and a reconnect that missed little neither format a change per stream
// nor ask the hub. A ring by change_seq: appending beyond the capacity forgets the oldest.
//
// Thread-safety: none; the change hub's thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "omnihub/v1/bus.pb.h"

namespace omnihub::api::stream {

// One change as the streams get it.
struct BufferedChange {
  v1::ChangeNotification change;
  std::string frame;  // SseChangeFrame(change)
};

class ChangeBuffer {
 public:
  explicit ChangeBuffer(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Empties the buffer and makes `last` the change it holds everything after (none yet).
  void Reset(uint64_t last);
  // Appends the change last_seq() + 1 (formatting its frame); any other sequence first
  // resets the buffer to just before it, so what it holds stays gap-free.
  void Append(const v1::ChangeNotification& change);

  // The change `seq`, or nullptr when it is older than the oldest held or not yet seen.
  const BufferedChange* Find(uint64_t seq) const;
  // The oldest change_seq held (last_seq() + 1 when empty).
  uint64_t first_seq() const { return last_ + 1 - changes_.size(); }
  // The newest change_seq appended (the one given to Reset when none).
  uint64_t last_seq() const { return last_; }
  size_t size() const { return changes_.size(); }

 private:
  size_t capacity_;
  uint64_t last_ = 0;
  std::deque<BufferedChange> changes_;  // first_seq() .. last_
};

}  // namespace omnihub::api::stream
