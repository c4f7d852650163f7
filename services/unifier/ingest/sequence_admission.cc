#include "services/unifier/ingest/sequence_admission.h"

#include "common/base/coding.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

base::Status SequenceAdmission::Load(Store& store) {
  auto marks = store.ReadHighWaterMarks();
  if (!marks.ok()) return marks.status();
  for (const auto& [publisher, mark] : *marks) tracker_.Load(publisher, mark);
  return base::Status::Ok();
}

FrameAdmission::Verdict SequenceAdmission::Admit(const v1::BusFrame& frame, Store& store,
                                                 rocksdb::WriteBatch& batch) {
  const std::string& publisher = frame.publisher_id();
  switch (tracker_.Classify(publisher, frame.sequence())) {
    case bus::SequenceTracker::Disposition::kDuplicate:
      return Verdict::kDuplicate;
    case bus::SequenceTracker::Disposition::kGap:
      return Verdict::kGap;
    case bus::SequenceTracker::Disposition::kNext:
      break;
  }
  tracker_.Stage(publisher, frame.sequence());
  batch.Put(store.meta(), HighWaterKey(publisher), EncodeRawValue(base::EncodeFixed64BE(frame.sequence())))
      .PermitUncheckedError();
  return Verdict::kApply;
}

}  // namespace omnihub::unifier
