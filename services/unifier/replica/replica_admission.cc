#include "services/unifier/replica/replica_admission.h"

namespace omnihub::unifier::replica {

base::Status ReplicaAdmission::Load(Store& store) {
  auto cursor = ReadCursor(store);
  if (!cursor.ok()) return cursor.status();
  committed_ = staged_ = *cursor;
  created_ns_ = cursor->created_ns;
  auto marks = ReadMarks(store);
  if (!marks.ok()) return marks.status();
  for (auto& [publisher, mark] : *marks) marks_.Load(publisher, std::move(mark));
  return base::Status::Ok();
}

FrameAdmission::Verdict ReplicaAdmission::Admit(const v1::BusFrame& frame, Store& store, rocksdb::WriteBatch& batch) {
  const std::string& publisher = frame.publisher_id();
  bool apply = false;
  // A duplicate may still raise the mark (its acked_floor): stored in the same batch.
  if (const PublisherMark* mark = marks_.Stage(publisher, OrderOf(frame), &apply)) {
    batch.Put(store.meta(), kMetaReplicaMarkPrefix + publisher, EncodeMark(*mark)).PermitUncheckedError();
  }
  return apply ? Verdict::kApply : Verdict::kDuplicate;
}

void ReplicaAdmission::Record(const InboundFrame& in, Store& store, rocksdb::WriteBatch& batch) {
  staged_ = ReplicaCursor{in.log_position, created_ns_, in.log_message_id};
  batch.Put(store.meta(), kMetaReplicaCursor, EncodeCursor(staged_)).PermitUncheckedError();
}

void ReplicaAdmission::Commit() {
  marks_.Commit();
  committed_ = staged_;
}

void ReplicaAdmission::Abort() {
  marks_.Abort();
  staged_ = committed_;
}

}  // namespace omnihub::unifier::replica
