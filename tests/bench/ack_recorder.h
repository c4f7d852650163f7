// Records when each cumulative ack reaches an AckSource: a thread waits for the
// acked sequence to move (WaitForAck wakes on every ack applied) and timestamps each
// new value. The unifier acknowledges once per committed batch,
// so the number of distinct values seen counts its commits (an undercount only when
// the sender thread applies two acks in one turn, which makes the derived batch size
// larger, never smaller), and the time a sequence is first covered is its
// publish->committed completion time.
//
// Thread-safety: Start/Stop from the owning thread; the queries only after Stop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "common/bus/outbox_publisher.h"
#include "tests/bench/bench_clock.h"

namespace omnihub::bench {

// Where a phase learns that its sequences are committed: the publisher's own acks (one
// host: the unifier's; cluster mode: the first replica's), or ReplicaAcks (every replica's).
class AckSource {
 public:
  virtual ~AckSource() = default;
  // True once every sequence <= `sequence` is acknowledged; false after `timeout`.
  virtual bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) = 0;
  // The highest cumulative ack so far.
  virtual uint64_t acked() const = 0;
};

// The acks a publisher (ZmqPublisher, LogPublisher) applies; `publisher` must outlive it.
class PublisherAcks final : public AckSource {
 public:
  explicit PublisherAcks(bus::OutboxPublisher& publisher) : publisher_(publisher) {}
  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) override {
    return publisher_.WaitForAck(sequence, timeout);
  }
  uint64_t acked() const override { return publisher_.acked(); }

 private:
  bus::OutboxPublisher& publisher_;
};

class AckRecorder {
 public:
  struct Point {
    int64_t at_us;
    uint64_t acked;
  };

  // `acks` must outlive the recorder.
  explicit AckRecorder(AckSource& acks) : acks_(acks) {}
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

  AckSource& acks_;
  std::atomic<bool> stop_{false};
  std::vector<Point> points_;  // written by the thread only; read after Stop
  std::thread thread_;
};

}  // namespace omnihub::bench
