// The times the unifier writes while it applies the log, taken from the log and never from the
// wall clock (docs/storage-format.md, "Deterministic apply"), so that replicas applying the same
// frames write the same bytes whatever their clocks and however the frames were batched.
//
// A frame's own time is its event's received_at_us (assigned once by the adapter; occurred_at_us
// when an older publisher left it 0) or its command's issued_at_us. The apply time is the largest
// frame time applied so far (meta last/apply_time_us, committed with every batch): it stamps what
// has no time of its own (a dead letter, the change of an unreadable frame) and every change's
// committed_at_us, and it never goes back.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "omnihub/v1/event.pb.h"

namespace omnihub::unifier {

// The event's time: received_at_us, or occurred_at_us when it has none.
int64_t EventTimeUs(const v1::Event& event);

// The apply time after a frame whose own time is `frame_time_us` (0 or less: it has none).
uint64_t AdvanceApplyTime(uint64_t apply_time_us, int64_t frame_time_us);

}  // namespace omnihub::unifier
