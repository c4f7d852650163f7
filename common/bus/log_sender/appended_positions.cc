#include "common/bus/log_sender/appended_positions.h"

#include <algorithm>

namespace omnihub::bus {

void AppendedPositions::Record(uint64_t sequence, ReadPosition at) {
  {
    std::lock_guard lock(mu_);
    if (sequence <= forgotten_through_) return;
    positions_.try_emplace(sequence, at);
    while (positions_.size() > capacity_) {
      forgotten_through_ = std::max(forgotten_through_, positions_.begin()->first);
      positions_.erase(positions_.begin());
    }
  }
  recorded_.notify_all();
}

bool AppendedPositions::AllSettled(std::span<const uint64_t> sequences) const {
  return std::all_of(sequences.begin(), sequences.end(),
                     [this](uint64_t s) { return s <= forgotten_through_ || positions_.contains(s); });
}

std::optional<ReadPosition> AppendedPositions::WaitFor(std::span<const uint64_t> sequences,
                                                       std::chrono::milliseconds timeout) const {
  if (sequences.empty()) return std::nullopt;
  std::unique_lock lock(mu_);
  if (!recorded_.wait_for(lock, timeout, [&] { return AllSettled(sequences); })) return std::nullopt;
  std::optional<ReadPosition> highest;
  for (const uint64_t s : sequences) {
    auto it = positions_.find(s);
    if (it == positions_.end()) return std::nullopt;  // forgotten
    if (highest && highest->partition != it->second.partition) return std::nullopt;
    if (!highest || it->second.position > highest->position) highest = it->second;
  }
  return highest;
}

}  // namespace omnihub::bus
