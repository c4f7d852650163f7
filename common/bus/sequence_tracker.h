// The unifier's side of the bus sequencing rules: per-publisher high-water marks,
// split into committed (durable in the store) and staged (in the batch being built).
//
// A frame is accepted only when its sequence is exactly high_water + 1 (counting
// staged advances); anything at or below is a duplicate of something already taken,
// anything beyond is a gap that the publisher must fill by resending. The batch
// processor writes staged() into the same WriteBatch as the events, then Commit()s
// (or Abort()s if the write failed) and acks the committed marks. See
// docs/bus-protocol.md.
//
// Thread-safety: none; owned by the unifier's single ingest thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/base/env.h"

namespace omnihub::bus {

class SequenceTracker {
 public:
  // `clock` must outlive the tracker; it paces resend requests.
  explicit SequenceTracker(base::Clock& clock, int64_t resend_request_interval_us = 500'000);

  // Sets a committed high-water mark read from storage at start.
  void Load(const std::string& publisher_id, uint64_t high_water);

  enum class Disposition { kNext, kDuplicate, kGap };
  // Classifies `sequence` against the high-water including staged advances.
  // Unknown publishers have high-water 0, so their first frame must be 1.
  Disposition Classify(const std::string& publisher_id, uint64_t sequence) const;

  // Records `sequence` as taken in the current batch.
  // REQUIRES: Classify(publisher_id, sequence) == kNext.
  void Stage(const std::string& publisher_id, uint64_t sequence);

  // The staged high-water marks of the current batch, to write with it.
  const std::map<std::string, uint64_t>& staged() const { return staged_; }

  // After the batch's write succeeded: staged marks become committed. Returns them
  // (the publishers to ack) and clears staged.
  std::map<std::string, uint64_t> Commit();

  // After the batch's write failed: forgets the staged advances, so the frames are
  // taken again when the publishers resend them.
  void Abort() { staged_.clear(); }

  // The committed high-water mark; 0 for an unknown publisher.
  uint64_t committed(const std::string& publisher_id) const;

  // The high-water mark including staged advances.
  uint64_t effective(const std::string& publisher_id) const;

  // True if a resend request (an Ack with resend = true) should be sent to this
  // publisher now. A gap usually shows up as a burst of out-of-order frames; one
  // request per publisher and high-water mark per interval is enough, and a new
  // high-water mark allows a new request at once.
  bool ShouldRequestResend(const std::string& publisher_id);

  // Every committed high-water mark (a copy).
  std::map<std::string, uint64_t> all_committed() const { return committed_; }

 private:
  struct ResendRequest {
    uint64_t high_water = 0;
    int64_t at_us = 0;
  };

  base::Clock& clock_;
  const int64_t resend_request_interval_us_;
  std::map<std::string, uint64_t> committed_;
  std::map<std::string, uint64_t> staged_;
  std::map<std::string, ResendRequest> last_resend_request_;
};

}  // namespace omnihub::bus
