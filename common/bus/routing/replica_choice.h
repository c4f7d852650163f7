// Which replica a query tries first, second, ...: the choice of the routed query transport,
// without sockets or clocks so that it is tested alone.
//
// Order: only replicas that have applied at least `min_position`; the most caught-up first
// (highest applied_position). Why not round-robin: reads are then as fresh as the partition
// allows, and a client's consecutive reads do not step back in time when they would land on
// a replica further behind (monotonic reads), while a lagging replica (catching up, being
// rebuilt) takes no reads. Replicas equally caught up take turns (`turn` rotates them), so
// replicas that keep up share the load. A replica that just failed to answer goes last until
// the registry shows it down (it is still tried when nothing else is left).
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/bus/routing/replica_entry.h"

namespace omnihub::bus {

std::vector<ReplicaEntry> OrderReplicas(std::vector<ReplicaEntry> live, uint64_t min_position, uint64_t turn,
                                        const std::function<bool(const ReplicaEntry&)>& unresponsive);

}  // namespace omnihub::bus
