#include "services/unifier/replica/replica_applier.h"

#include "services/unifier/ingest/counted_apply.h"

namespace omnihub::unifier::replica {

ReplicaApplier::ReplicaApplier(BatchProcessor& processor, ReplicaAdmission& admission,
                               const event::IdentityNormalizer& normalizer, BlobSource* blobs, AckSink& acks,
                               base::Clock& clock, UnifierMetrics& metrics, ApplierOptions options)
    : processor_(processor),
      admission_(admission),
      normalizer_(normalizer),
      blobs_(blobs),
      acks_(acks),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)) {}

namespace {

// A source for a replica without a blob store: every blob is unavailable.
class NoBlobSource final : public BlobSource {
 public:
  base::Result<std::string> Get(std::string_view) override {
    return base::Status::Unavailable("this replica has no blob store to fetch from");
  }
};

}  // namespace

base::Result<StepResult> ReplicaApplier::Step(bus::PartitionLogReader& reader, std::chrono::milliseconds wait) {
  if (pending_.empty()) {
    auto read = reader.Read(options_.batch_max_frames, wait);
    if (!read.ok()) return read.status();
    pending_ = std::move(*read);
  }
  StepResult out;
  if (pending_.empty()) return out;

  NoBlobSource none;
  BlobSource& blobs = blobs_ != nullptr ? *blobs_ : none;
  for (auto& record : pending_) OMNIHUB_RETURN_IF_ERROR(FillBlobs(record.frame, blobs));

  std::vector<InboundFrame> frames;
  frames.reserve(pending_.size());
  for (auto& record : pending_) {
    InboundFrame in;
    in.bytes = std::move(record.frame);
    in.log_position = record.position;
    in.log_message_id = std::move(record.message_id);
    frames.push_back(std::move(in));
  }
  pending_.clear();
  out.frames = frames.size();
  admission_.set_created_ns(reader.created_ns());
  auto result = ApplyCounted(processor_, DecodeFrames(std::move(frames), normalizer_), clock_, metrics_);
  if (!result.ok()) return result.status();

  for (auto& outbound : result->acks) {
    v1::Ack& ack = outbound.ack;
    ack.set_partition(options_.partition);
    ack.set_replica_id(options_.replica_id);
    ack.set_applied_position(applied_position());
    acks_.Send(ack);
  }
  out.changes = std::move(result->changes);
  return out;
}

}  // namespace omnihub::unifier::replica
