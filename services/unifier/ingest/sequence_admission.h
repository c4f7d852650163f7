// FrameAdmission of single-host mode: a publisher's frames are taken strictly in sequence
// order (bus::SequenceTracker), a gap asks for a resend, and each publisher's high-water
// mark is stored in meta under hwm/<publisher> (docs/bus-protocol.md). Records nothing per
// frame: the ZeroMQ bus has no positions.
//
// Thread-safety: none; owned by the ingest thread.
#pragma once

#include "common/bus/sequence_tracker.h"
#include "services/unifier/ingest/frame_admission.h"

namespace omnihub::unifier {

class SequenceAdmission final : public FrameAdmission {
 public:
  // `tracker` must outlive the admission.
  explicit SequenceAdmission(bus::SequenceTracker& tracker) : tracker_(tracker) {}

  base::Status Load(Store& store) override;
  Verdict Admit(const v1::BusFrame& frame, Store& store, rocksdb::WriteBatch& batch) override;
  void Record(const InboundFrame&, Store&, rocksdb::WriteBatch&) override {}
  bool ShouldRequestResend(const std::string& publisher_id) override {
    return tracker_.ShouldRequestResend(publisher_id);
  }
  void Commit() override { tracker_.Commit(); }
  void Abort() override { tracker_.Abort(); }
  uint64_t CumulativeAck(const std::string& publisher_id) const override { return tracker_.committed(publisher_id); }

 private:
  bus::SequenceTracker& tracker_;
};

}  // namespace omnihub::unifier
