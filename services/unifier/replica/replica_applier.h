// The apply loop of a cluster replica, one turn at a time and without sockets: reads the
// next frames of its partition in position order (bus::PartitionLogReader), fills in blobs
// kept in the blob stream (blob_fill.h), applies them through the same BatchProcessor as
// single-host ingest (with ReplicaAdmission, so the position, the stream's created_ns, the
// last message id and the publishers' marks go into the same synced WriteBatch), then acks
// each publisher of the batch, duplicates included, through an AckSink.
//
// Frames read but not applied (a blob could not be fetched, or they lie past the next digest
// checkpoint) are kept and applied first by the next Step: nothing is skipped and nothing is
// applied without its blobs. With digest_every set, no batch goes past a checkpoint
// (digest_checkpoints.h), and the Step that reaches one says so.
//
// Thread-safety: none; one thread runs Step.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/bus/partition_log.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/unifier_metrics.h"
#include "services/unifier/replica/ack_sink.h"
#include "services/unifier/replica/blob_fill.h"
#include "services/unifier/replica/replica_admission.h"

namespace omnihub::unifier::replica {

struct ApplierOptions {
  uint32_t partition = 0;
  std::string replica_id = {};
  size_t batch_max_frames = 2000;  // frames per committed batch at most
  uint64_t digest_every = 0;       // positions between digest checkpoints; 0: none
};

struct StepResult {
  size_t frames = 0;                              // frames applied (or skipped as duplicates) this turn
  std::vector<v1::ChangeNotification> changes = {};  // committed, in change_seq order
  // Set when the store now holds the state of this checkpoint, for the first time since the
  // applier was made: its digest is the one to compare with the peers'. A Step that only
  // finds the next frame past a checkpoint reports it with frames 0.
  std::optional<uint64_t> checkpoint = std::nullopt;
};

class ReplicaApplier {
 public:
  // Every reference must outlive the applier; `blobs` may be null when no frame names a
  // blob in the blob stream (a frame that does then waits: Unavailable). Batches are counted
  // in `metrics` as on one host (ingest/counted_apply.h), timed by `clock`.
  ReplicaApplier(BatchProcessor& processor, ReplicaAdmission& admission, const event::IdentityNormalizer& normalizer,
                 BlobSource* blobs, AckSink& acks, base::Clock& clock, UnifierMetrics& metrics,
                 ApplierOptions options);

  // One turn: reads up to batch_max_frames frames (waiting up to `wait` for the first), and
  // applies and acks them. FailedPrecondition when the log was rewound or recreated (stop:
  // see docs/cluster.md); Unavailable when the log or a blob cannot be reached (call again);
  // any other error is the store's (stop).
  base::Result<StepResult> Step(bus::PartitionLogReader& reader, std::chrono::milliseconds wait);

  // The position of the last frame applied and synced.
  uint64_t applied_position() const { return admission_.cursor().position; }

 private:
  BatchProcessor& processor_;
  ReplicaAdmission& admission_;
  const event::IdentityNormalizer& normalizer_;
  BlobSource* blobs_;
  AckSink& acks_;
  base::Clock& clock_;
  UnifierMetrics& metrics_;
  const ApplierOptions options_;
  // Where the state is now, if at a checkpoint not reported yet.
  std::optional<uint64_t> NewCheckpoint();

  std::vector<bus::LogRecord> pending_;  // read, not applied yet, in position order
  uint64_t last_checkpoint_ = 0;         // the last one reported
};

}  // namespace omnihub::unifier::replica
