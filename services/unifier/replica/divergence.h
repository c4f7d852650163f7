// Finding a divergent replica: replicas of one partition that applied the same log prefix
// hold the same state (docs/storage-format.md, "Deterministic apply"), so two digests
// published for the same digest_position must be equal. One that differs means a replica
// applied something else (a bug, a disk that lied, a build with another apply version): it
// must stop serving rather than answer from a state the others do not have. Each replica
// compares its live peers' digests with its own at the same position; both sides of a mismatch
// stop, and the operator rebuilds the wrong one from a good peer (docs/cluster.md).
//
// A replica publishes only its latest digest, and under load two replicas seldom publish the
// same position at the same moment; so each keeps its recent digests (DigestHistory), and the
// one that is ahead compares the other's latest with its own of that position.
//
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <map>
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

// A replica's own recent digests by position: the last `capacity` recorded.
class DigestHistory {
 public:
  explicit DigestHistory(size_t capacity = 64) : capacity_(capacity) {}
  void Record(uint64_t position, std::string digest);
  // The digest recorded at `position`, or null.
  const std::string* At(uint64_t position) const;

 private:
  size_t capacity_;
  std::map<uint64_t, std::string> digests_;
};

// The first peer (not `own` itself, of the same partition and stream incarnation) whose
// published digest differs from own's at that position in `history`; nullopt when none does,
// or no peer published a position `history` holds.
std::optional<Divergence> FindDivergence(const ReplicaEntry& own, const DigestHistory& history,
                                         const std::vector<ReplicaEntry>& peers);

}  // namespace omnihub::unifier::replica
