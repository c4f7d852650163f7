// Where replicas compute the digests they compare while the stream keeps growing
// (docs/cluster.md, "The replica registry, digests and divergence"). A replica that is never idle never reaches the
// idle digest, and two replicas' idle digests are at whatever positions each happened to
// stop at. So every `every` positions is a checkpoint: position C stands for the state with
// every frame at or below C applied and none above. The applier ends a batch at each C
// (apply does not depend on batch size, so this changes no state), and both replicas of a
// partition, reading the same stream, reach each C with the same state, whatever their
// batches and restarts were.
//
// A deleted position can be a checkpoint: the state then is the one after the last frame
// before it, known as soon as the next frame (past C) has been read.
//
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <optional>

namespace omnihub::unifier::replica {

// The highest position the next batch may include, after `applied`: the next checkpoint.
// `every` 0 means no checkpoints (no limit).
uint64_t BatchLimit(uint64_t applied, uint64_t every);

// The checkpoint the state is at, with every frame up to `applied` applied and, when known,
// `next` the position of the next frame read (not applied): the highest multiple of `every`
// in [applied, next) (or equal to `applied` when `next` is unknown), nullopt when there is
// none or `every` is 0. Position 0 (nothing applied) is no checkpoint.
std::optional<uint64_t> CheckpointReached(uint64_t applied, std::optional<uint64_t> next, uint64_t every);

}  // namespace omnihub::unifier::replica
