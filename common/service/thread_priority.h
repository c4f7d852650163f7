// Scheduling priority of the calling thread: a background thread of a service (the unifier's
// search indexer) asks to be scheduled after the thread that serves its main job (ingest), so
// that on a machine with few cores a burst of work for it does not slow that job down; it
// catches up when the CPU is free.
//
// Thread-safety: acts on the calling thread only; may be called from any thread.
#pragma once

#include "common/base/status.h"

namespace omnihub::service {

// Adds `increment` (1-19) to the calling thread's nice value (Linux: per thread, not per
// process). Lowering a priority needs no privilege; the error says what refused it.
base::Status LowerThisThreadPriority(int increment);

// The calling thread's nice value.
int ThisThreadNice();

}  // namespace omnihub::service
