// Which frames the batch processor applies, and what it records with them: the one point
// where single-host ingest and a cluster replica differ inside apply. Single-host mode
// (sequence_admission.h) takes a publisher's frames strictly in sequence order and asks for
// a resend on a gap (docs/bus-protocol.md); a cluster replica (replica/replica_admission.h)
// applies the partition log's order, tolerates reordering and stores its log position
// (docs/cluster.md, "Unifier replicas"). Both write what they record into the same
// WriteBatch as the frames' data, so a crash keeps all of a batch or none of it.
//
// Calls for one batch: Admit per parsed frame and Record per frame, in order; then Commit
// once the batch is durable, or Abort when its write failed.
//
// Thread-safety: none; owned by the thread that applies.
#pragma once

#include <cstdint>
#include <string>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/ingest/frame_decoder.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

class FrameAdmission {
 public:
  enum class Verdict {
    kApply,      // applied in this batch; its mark is staged and written to the batch
    kDuplicate,  // taken before: skipped, and answered with an ack
    kGap,        // an earlier frame of its publisher is missing: skipped until resent
  };

  virtual ~FrameAdmission() = default;

  // Loads what the store recorded (marks, position). Called once, by BatchProcessor::Init.
  virtual base::Status Load(Store& store) = 0;
  // Decides a parsed frame and, for kApply, stages its mark and puts it into `batch`.
  virtual Verdict Admit(const v1::BusFrame& frame, Store& store, rocksdb::WriteBatch& batch) = 0;
  // Every frame, parsed or not, once its verdict is applied: what the admission records
  // about the frame's place in its input (nothing on a single host).
  virtual void Record(const InboundFrame& in, Store& store, rocksdb::WriteBatch& batch) = 0;
  // For a kGap: whether to ask the publisher for a resend now.
  virtual bool ShouldRequestResend(const std::string& publisher_id) = 0;
  // The batch is durable: staged marks become committed.
  virtual void Commit() = 0;
  // The batch's write failed: staged marks are forgotten.
  virtual void Abort() = 0;
  // The highest sequence S of `publisher_id` such that every sequence <= S is committed.
  virtual uint64_t CumulativeAck(const std::string& publisher_id) const = 0;
};

}  // namespace omnihub::unifier
