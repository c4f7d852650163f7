// FrameAdmission of a cluster replica: the partition log's order is the order of apply, so a
// frame is applied when its publisher's sequence is not applied yet (PublisherMarks, reorder
// tolerant, chained by the frames' partition_prev and raised by their acked_floor) and skipped
// as a duplicate otherwise; there are no gaps to ask for. Every frame,
// applied or not, moves the stored cursor (replica_cursor.h) to its position, in the same
// WriteBatch.
//
// Thread-safety: none; owned by the replica's apply thread.
#pragma once

#include <cstdint>
#include <string>

#include "services/unifier/ingest/frame_admission.h"
#include "services/unifier/replica/publisher_marks.h"
#include "services/unifier/replica/replica_cursor.h"

namespace omnihub::unifier::replica {

class ReplicaAdmission final : public FrameAdmission {
 public:
  base::Status Load(Store& store) override;
  Verdict Admit(const v1::BusFrame& frame, Store& store, rocksdb::WriteBatch& batch) override;
  void Record(const InboundFrame& in, Store& store, rocksdb::WriteBatch& batch) override;
  bool ShouldRequestResend(const std::string&) override { return false; }
  void Commit() override;
  void Abort() override;
  uint64_t CumulativeAck(const std::string& publisher_id) const override { return marks_.CumulativeAck(publisher_id); }

  // The stream incarnation the frames come from (the reader's created_ns), stored with them.
  void set_created_ns(int64_t created_ns) { created_ns_ = created_ns; }
  // The cursor as committed.
  const ReplicaCursor& cursor() const { return committed_; }

 private:
  PublisherMarks marks_;
  ReplicaCursor committed_;
  ReplicaCursor staged_;
  int64_t created_ns_ = 0;
};

}  // namespace omnihub::unifier::replica
