#include "tests/bench/ack_recorder.h"

#include <algorithm>
#include <chrono>

namespace omnihub::bench {

void AckRecorder::Start() {
  stop_.store(false);
  points_.clear();
  points_.reserve(1 << 16);
  points_.push_back({NowMicros(), acks_.acked()});
  thread_ = std::thread([this] { Run(); });
}

void AckRecorder::Stop() {
  stop_.store(true);
  if (!thread_.joinable()) return;
  thread_.join();
  // An ack that arrived after the thread's last wait still gets a (slightly late) time.
  const uint64_t acked = acks_.acked();
  if (acked > points_.back().acked) points_.push_back({NowMicros(), acked});
}

void AckRecorder::Run() {
  uint64_t last = points_.back().acked;
  while (!stop_.load()) {
    // Wakes on every ack applied; the timeout only checks stop_.
    if (!acks_.WaitForAck(last + 1, std::chrono::milliseconds(20))) continue;
    const int64_t now = NowMicros();
    last = acks_.acked();
    points_.push_back({now, last});
  }
}

int64_t AckRecorder::AckedAt(uint64_t sequence) const {
  auto it = std::lower_bound(points_.begin(), points_.end(), sequence,
                             [](const Point& p, uint64_t s) { return p.acked < s; });
  return it == points_.end() ? -1 : it->at_us;
}

uint64_t AckRecorder::CommitsCovering(uint64_t first, uint64_t last) const {
  uint64_t commits = 0;
  uint64_t previous = 0;
  for (const Point& p : points_) {
    // The ack that first reaches past `last` still completed sequences of this run.
    if (p.acked >= first && previous < last && p.acked != previous) ++commits;
    previous = p.acked;
  }
  return commits;
}

}  // namespace omnihub::bench
