#include "common/bus/sequence_tracker.h"

#include <cassert>

namespace omnihub::bus {

SequenceTracker::SequenceTracker(base::Clock& clock, int64_t resend_request_interval_us)
    : clock_(clock), resend_request_interval_us_(resend_request_interval_us) {}

void SequenceTracker::Load(const std::string& publisher_id, uint64_t high_water) {
  committed_[publisher_id] = high_water;
}

SequenceTracker::Disposition SequenceTracker::Classify(const std::string& publisher_id, uint64_t sequence) const {
  const uint64_t high_water = effective(publisher_id);
  if (sequence <= high_water) return Disposition::kDuplicate;
  if (sequence == high_water + 1) return Disposition::kNext;
  return Disposition::kGap;
}

void SequenceTracker::Stage(const std::string& publisher_id, uint64_t sequence) {
  assert(Classify(publisher_id, sequence) == Disposition::kNext);
  staged_[publisher_id] = sequence;
}

std::map<std::string, uint64_t> SequenceTracker::Commit() {
  for (const auto& [publisher_id, high_water] : staged_) committed_[publisher_id] = high_water;
  std::map<std::string, uint64_t> advanced;
  advanced.swap(staged_);
  return advanced;
}

uint64_t SequenceTracker::committed(const std::string& publisher_id) const {
  auto it = committed_.find(publisher_id);
  return it == committed_.end() ? 0 : it->second;
}

uint64_t SequenceTracker::effective(const std::string& publisher_id) const {
  auto it = staged_.find(publisher_id);
  return it == staged_.end() ? committed(publisher_id) : it->second;
}

bool SequenceTracker::ShouldRequestResend(const std::string& publisher_id) {
  const uint64_t high_water = effective(publisher_id);
  const int64_t now = clock_.MonotonicMicros();
  auto [it, inserted] = last_resend_request_.try_emplace(publisher_id);
  if (!inserted && it->second.high_water == high_water && now - it->second.at_us < resend_request_interval_us_) {
    return false;
  }
  it->second = {high_water, now};
  return true;
}

}  // namespace omnihub::bus
