#include "services/unifier/ingest/apply_time.h"

#include <algorithm>

namespace omnihub::unifier {

int64_t EventTimeUs(const v1::Event& event) {
  return event.received_at_us() != 0 ? event.received_at_us() : event.occurred_at_us();
}

uint64_t AdvanceApplyTime(uint64_t apply_time_us, int64_t frame_time_us) {
  return frame_time_us > 0 ? std::max(apply_time_us, static_cast<uint64_t>(frame_time_us)) : apply_time_us;
}

}  // namespace omnihub::unifier
