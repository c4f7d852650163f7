#include "services/unifier/replica/divergence.h"

namespace omnihub::unifier::replica {

std::string Divergence::Describe(const std::string& own_id) const {
  return "replica " + own_id + " diverged from replica " + peer_id + " at position " + std::to_string(position) +
         ": digest " + own_digest + " here, " + peer_digest + " there";
}

void DigestHistory::Record(uint64_t position, std::string digest) {
  digests_[position] = std::move(digest);
  while (digests_.size() > capacity_) digests_.erase(digests_.begin());
}

const std::string* DigestHistory::At(uint64_t position) const {
  auto it = digests_.find(position);
  return it == digests_.end() ? nullptr : &it->second;
}

std::optional<Divergence> FindDivergence(const ReplicaEntry& own, const DigestHistory& history,
                                         const std::vector<ReplicaEntry>& peers) {
  for (const ReplicaEntry& peer : peers) {
    if (peer.replica_id == own.replica_id || peer.partition != own.partition) continue;
    if (peer.stream_created_ns != own.stream_created_ns || peer.digest.empty()) continue;
    const std::string* mine = history.At(peer.digest_position);
    if (mine == nullptr || *mine == peer.digest) continue;
    return Divergence{peer.replica_id, peer.digest_position, *mine, peer.digest};
  }
  return std::nullopt;
}

}  // namespace omnihub::unifier::replica
