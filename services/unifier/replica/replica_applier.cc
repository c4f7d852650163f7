#include "services/unifier/replica/replica_applier.h"

#include <algorithm>

#include "services/unifier/ingest/counted_apply.h"
#include "services/unifier/replica/digest_checkpoints.h"

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

  // This batch: the pending frames up to the next checkpoint.
  // (From the last reported one, if it is ahead: a checkpoint at a deleted position is past
  // what was applied.)
  const uint64_t limit = BatchLimit(std::max(applied_position(), last_checkpoint_), options_.digest_every);
  size_t count = 0;
  while (count < pending_.size() && pending_[count].position <= limit) ++count;
  if (count == 0) {
    out.checkpoint = NewCheckpoint();  // the next frame lies past it: the state is the checkpoint's
    if (out.checkpoint.has_value()) return out;
    count = 1;  // cannot happen (a new checkpoint lies below the limit), but never stall
  }

  NoBlobSource none;
  BlobSource& blobs = blobs_ != nullptr ? *blobs_ : none;
  for (size_t i = 0; i < count; ++i) OMNIHUB_RETURN_IF_ERROR(FillBlobs(pending_[i].frame, blobs));

  std::vector<InboundFrame> frames;
  frames.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    bus::LogRecord& record = pending_[i];
    InboundFrame in;
    in.bytes = std::move(record.frame);
    in.log_position = record.position;
    in.log_message_id = std::move(record.message_id);
    frames.push_back(std::move(in));
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
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
  out.checkpoint = NewCheckpoint();
  return out;
}

std::optional<uint64_t> ReplicaApplier::NewCheckpoint() {
  std::optional<uint64_t> next;
  if (!pending_.empty()) next = pending_.front().position;
  auto checkpoint = CheckpointReached(applied_position(), next, options_.digest_every);
  if (!checkpoint.has_value() || *checkpoint <= last_checkpoint_) return std::nullopt;
  last_checkpoint_ = *checkpoint;
  return checkpoint;
}

}  // namespace omnihub::unifier::replica
