// Finding a divergent replica: replicas of one partition that applied the same log prefix
// hold the same state (docs/storage-format.md, "Deterministic apply"), so two digests
// published for the same digest_position must be equal. One that differs means a replica
// applied something else (a bug, a disk that lied, a build with another apply version): it
// must stop serving rather than answer from a state the others do not have. Each replica
// compares its own digest with its live peers'; both sides of a mismatch stop, and the
// operator rebuilds the wrong one from a good peer (docs/cluster.md).
//
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/unifier/replica/replica_entry.h"

namespace omnihub::unifier::replica {

struct Divergence {
  std::string peer_id;
  uint64_t position = 0;
  std::string own_digest;
  std::string peer_digest;

  // "replica r1 diverged from replica r2 at position 120: digest 3f.. here, 9a.. there".
  std::string Describe(const std::string& own_id) const;
};

// The first peer (not `own` itself, of the same partition and stream incarnation) whose digest
// at own's digest_position differs from own's; nullopt when none does or own has no digest yet.
std::optional<Divergence> FindDivergence(const ReplicaEntry& own, const std::vector<ReplicaEntry>& peers);

}  // namespace omnihub::unifier::replica
