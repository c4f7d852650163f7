#include "common/bus/routing/replica_choice.h"

#include <algorithm>

namespace omnihub::bus {

std::vector<ReplicaEntry> OrderReplicas(std::vector<ReplicaEntry> live, uint64_t min_position, uint64_t turn,
                                        const std::function<bool(const ReplicaEntry&)>& unresponsive) {
  std::erase_if(live, [&](const ReplicaEntry& e) { return e.applied_position < min_position; });
  // A stable base order (the registry key's), so that `turn` rotates the same group each time.
  std::sort(live.begin(), live.end(), [](const ReplicaEntry& a, const ReplicaEntry& b) {
    if (a.applied_position != b.applied_position) return a.applied_position > b.applied_position;
    return a.replica_id < b.replica_id;
  });
  // Rotate every run of equally caught-up replicas by `turn`.
  for (auto begin = live.begin(); begin != live.end();) {
    auto end = std::find_if(begin, live.end(),
                            [&](const ReplicaEntry& e) { return e.applied_position != begin->applied_position; });
    const auto size = static_cast<uint64_t>(end - begin);
    std::rotate(begin, begin + static_cast<std::ptrdiff_t>(turn % size), end);
    begin = end;
  }
  std::stable_partition(live.begin(), live.end(), [&](const ReplicaEntry& e) { return !unresponsive(e); });
  return live;
}

}  // namespace omnihub::bus
