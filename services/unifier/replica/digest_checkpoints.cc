#include "services/unifier/replica/digest_checkpoints.h"

#include <limits>

namespace omnihub::unifier::replica {

uint64_t BatchLimit(uint64_t applied, uint64_t every) {
  if (every == 0) return std::numeric_limits<uint64_t>::max();
  return (applied / every + 1) * every;
}

std::optional<uint64_t> CheckpointReached(uint64_t applied, std::optional<uint64_t> next, uint64_t every) {
  if (every == 0) return std::nullopt;
  // The state covers every position below `next` (the reader hands frames out in order, with
  // gaps only where the stream deleted a message), or exactly up to `applied` if it is unknown.
  const uint64_t covered = next.has_value() && *next > applied ? *next - 1 : applied;
  const uint64_t checkpoint = covered / every * every;
  if (checkpoint == 0 || checkpoint < applied) return std::nullopt;
  return checkpoint;
}

}  // namespace omnihub::unifier::replica
