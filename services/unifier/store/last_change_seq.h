// The store's latest change sequence for the readers that only report it (gauges that measure
// how far a follower of the change log is behind): 0 before the first change, and 0 when the
// counter cannot be read, because a scrape must not fail (the store's own errors surface elsewhere).
//
// Thread-safety: as Store (thread-safe).
#pragma once

#include <cstdint>

#include "services/unifier/store/store.h"

namespace omnihub::unifier {

uint64_t LastChangeSeqOrZero(Store& store);
// Changes committed to the store after `applied` (a follower's own mark): its lag, never negative.
uint64_t ChangesAfter(Store& store, uint64_t applied);

}  // namespace omnihub::unifier
