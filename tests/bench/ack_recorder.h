// Records when each cumulative ack reaches a ZmqPublisher: a thread waits for the
// acked sequence to move (WaitForAck wakes on every ack the sender thread applies)
// and timestamps each new value. The unifier acknowledges once per committed batch,
// so the number of distinct values seen counts its commits (an undercount only when
// the sender thread applies two acks in one turn, which makes the derived batch size
// larger, never smaller), and the time a sequence is first covered is its
// publish->committed completion time.
//
// Thread-safety: Start/Stop from the owning thread; the queries only after Stop.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "common/bus/zmq_publisher.h"
#include "tests/bench/bench_clock.h"

namespace omnihub::bench {

class AckRecorder {
 public:
  struct Point {
    int64_t at_us;
    uint64_t acked;
  };

  // `publisher` must outlive the recorder.
  explicit AckRecorder(bus::ZmqPublisher& publisher) : publisher_(publisher) {}
  ~AckRecorder() { Stop(); }
  AckRecorder(const AckRecorder&) = delete;
  AckRecorder& operator=(const AckRecorder&) = delete;

  void Start();
  void Stop();

  // When `sequence` was first covered by an ack; -1 if never.
  int64_t AckedAt(uint64_t sequence) const;
  // Acks observed that moved the cumulative ack into (first - 1, last]: the commits
  // of a contiguous run of sequences (the one completing `last` included).
  uint64_t CommitsCovering(uint64_t first, uint64_t last) const;

 private:
  void Run();

  bus::ZmqPublisher& publisher_;
  std::atomic<bool> stop_{false};
  std::vector<Point> points_;  // written by the thread only; read after Stop
  std::thread thread_;
};

}  // namespace omnihub::bench
