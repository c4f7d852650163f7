#include "services/unifier/replica/divergence.h"

namespace omnihub::unifier::replica {

std::string Divergence::Describe(const std::string& own_id) const {
  return "replica " + own_id + " diverged from replica " + peer_id + " at position " + std::to_string(position) +
         ": digest " + own_digest + " here, " + peer_digest + " there";
}

std::optional<Divergence> FindDivergence(const ReplicaEntry& own, const std::vector<ReplicaEntry>& peers) {
  if (own.digest.empty()) return std::nullopt;
  for (const ReplicaEntry& peer : peers) {
    if (peer.replica_id == own.replica_id || peer.partition != own.partition) continue;
    if (peer.stream_created_ns != own.stream_created_ns || peer.digest.empty()) continue;
    if (peer.digest_position != own.digest_position || peer.digest == own.digest) continue;
    return Divergence{peer.replica_id, own.digest_position, own.digest, peer.digest};
  }
  return std::nullopt;
}

}  // namespace omnihub::unifier::replica
