// The unifier's ingest logic, without sockets: turns a batch of bus frames into one
// atomic, synced RocksDB WriteBatch, then says which acks and change notifications
// to send. The ZeroMQ loop (ingest_server.h) only moves bytes in and out.
//
// Per frame: sequence check (resends are skipped, gaps ask for a resend), then the
// payload: an Event is validated and normalized, deduplicated by (channel, account,
// provider message id), resolved to its customer by the IdentityResolver
// (identity/identity_resolver.h) and appended to its identity's timeline; anything
// malformed becomes a dead letter with its raw bytes. A delivery
// status of a message (IsAttachableStatus) is not a timeline entry: it is stored once per
// (message, state, error code) under the message's provider id, and attached to the message
// when the timeline is read (delivery_statuses.h). Edits, deletions and reactions that name a
// message, and watermark receipts, are kept the same way in `amendments`; a deletion also
// removes the message's text from what is stored (message_amendments.h, batch_amendments.cc). Every
// committed batch also carries the counters and what the FrameAdmission records (each
// publisher's mark; a replica's log position), so a crash at any point leaves either all of
// a batch or none of it. Single-host ingest and a cluster replica both apply through here;
// only their FrameAdmission differs (frame_admission.h).
//
// Thread-safety: single-threaded (the ingest thread owns it).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rocksdb/write_batch.h>

#include "common/event/identity.h"
#include "common/bus/sequence_tracker.h"
#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/identity/identity_resolver.h"
#include "services/unifier/identity/identity_store.h"
#include "services/unifier/ingest/frame_admission.h"
#include "services/unifier/ingest/frame_decoder.h"
#include "services/unifier/store/message_amendments.h"
#include "services/unifier/store/store.h"
#include "services/unifier/suggestions/suggestion_detector.h"

namespace omnihub::unifier {

struct OutboundAck {
  std::string routing_id;
  v1::Ack ack;
};

struct BatchResult {
  std::vector<OutboundAck> acks;
  std::vector<v1::ChangeNotification> changes;  // committed, in change_seq order
};

class BatchProcessor {
 public:
  // All references must outlive the processor. `credit` is announced in every ack. There is
  // no clock and no id generator: what apply writes derives from the frames alone
  // (apply_time.h, identity/customer_ids.h), so the same frames give the same store however
  // they are batched (docs/storage-format.md, "Deterministic apply").
  // Single-host mode: frames are admitted by `tracker` (SequenceAdmission).
  BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer, bus::SequenceTracker& tracker,
                 uint32_t credit);
  // Any admission (a cluster replica's: replica/replica_admission.h); `admission` must
  // outlive the processor.
  BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer, FrameAdmission& admission,
                 uint32_t credit);

  // Loads counters and the admission's marks. Call once before Process.
  base::Status Init();

  // Processes `frames` in order and commits them in one synced WriteBatch. On a failed
  // commit nothing is acknowledged, the in-memory state is rolled back, and the error
  // is returned (the caller should stop: a store that cannot sync must not ack).
  // The same as Apply(DecodeFrames(frames)) on this thread.
  base::Result<BatchResult> Process(std::vector<InboundFrame> frames);

  // Process for frames decoded already (frame_decoder.h; the ingest server decodes the next
  // batch on a stage thread while this one is applied). Frames are applied in their order.
  base::Result<BatchResult> Apply(std::vector<DecodedFrame> frames);

  const StoreCounters& counters() const { return counters_; }
  const event::IdentityNormalizer& normalizer() const { return normalizer_; }

 private:
  BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer, std::unique_ptr<FrameAdmission> owned,
                 uint32_t credit);

  // A message statuses attach to: its timeline entry and whose timeline that is.
  struct MessageRef {
    std::string event_id;
    std::string customer_id;
    v1::Identity identity;
  };

  // A message amendments attach to, as it will be stored when the batch commits.
  struct StagedMessage {
    std::string timeline_key;
    v1::TimelineRecord record;
    MessageRef ref;
  };
  // This batch's amendments and the amendable messages it stored or looked up.
  struct AmendmentStaging {
    std::map<std::string, v1::Event> records;                       // by amendments key, in key order
    std::unordered_map<std::string, StagedMessage> messages;        // by AmendmentPrefixOf
    std::unique_ptr<AmendmentReader> reader;                        // committed amendments, created on first use
  };

  // Per-batch overlay on the store: what this batch has written so far.
  struct Staging {
    rocksdb::WriteBatch batch;
    StoreCounters counters;
    IdentityStaging identities;  // identities and customers, read or created
    std::unordered_set<std::string> dedup_keys;
    // Dedup keys of this batch's events, looked up together before the first frame
    // (PrefetchDedup): true when stored or erased before the batch.
    std::unordered_map<std::string, bool> stored_dedup;
    std::unordered_set<std::string> status_keys;
    std::unordered_map<std::string, MessageRef> message_refs;  // by MessageRefKey
    std::unordered_set<std::string> blob_keys;
    AmendmentStaging amendments;
    SuggestionStaging suggestions;
    std::vector<v1::ChangeNotification> changes;
    // The tenant of the frame being applied, in wire form ("" = default): every change the
    // frame makes names it (AddChange), so a live stream keeps one tenant's changes.
    std::string tenant;
    std::unordered_map<std::string, std::string> routing;  // publisher id -> latest routing id
    std::unordered_set<std::string> resend_requested;      // publisher ids
  };

  base::Status ProcessFrame(DecodedFrame& frame, Staging& st);
  // Fills st.stored_dedup for the events of frames [begin, end) with two batched reads
  // (dedup, then erased_keys for the keys not in dedup) instead of up to two Gets per event.
  base::Status PrefetchDedup(const std::vector<DecodedFrame>& frames, size_t begin, size_t end, Staging& st);
  // True when the event with `dedup_key` was stored (or erased) already, in this batch or before.
  base::Result<bool> IsDuplicateEvent(const std::string& dedup_key, Staging& st);
  // batch_commands.cc. Applies a Command (command.proto) alone in its batch: runs its
  // handler (ingest/command_handlers.h) and stores its CommandResult; a command already
  // answered (a resend after a crash) is not applied twice.
  base::Status ProcessCommand(const v1::BusFrame& frame, Staging& st);
  // `frame` decoded as an event: stores it, or dead-letters it with its decoding defect.
  base::Status ProcessEvent(DecodedFrame& frame, Staging& st);
  // Stores a validated IsAttachableStatus event (or counts it as a provider retry).
  base::Status ProcessStatus(const v1::BusFrame& frame, v1::Event event, Staging& st);
  // batch_amendments.cc. Stores a validated IsAmendment or IsWatermarkStatus event (or counts
  // it as a provider retry); a deletion removes its message's text, if stored, in this batch.
  base::Status ProcessAmendment(const v1::BusFrame& frame, v1::Event event, Staging& st);
  base::Status ProcessWatermark(const v1::BusFrame& frame, v1::Event event, Staging& st);
  // For a CanBeAmended message about to be stored under `timeline_key`: removes its text when a
  // stored deletion asks for it, and remembers it for the amendments later in the batch.
  base::Status StageAmendableMessage(const std::string& timeline_key, const v1::IdentityRecord& identity,
                                     v1::TimelineRecord* record, Staging& st);
  // The message under the amendments prefix `prefix`, staged or stored; nullptr if unknown.
  base::Result<StagedMessage*> FindAmendedMessage(const std::string& prefix, const v1::Event& amendment, Staging& st);
  // Every amendment under `prefix`, stored or staged (staged ones win).
  base::Result<std::vector<StoredAmendment>> AmendmentsUnder(const std::string& prefix, Staging& st);
  // Removes the text of the message and of its EDITs, in this batch (a DELETE without
  // kKeepDeletedTextFlag).
  base::Status RemoveTextOfDeleted(const std::string& prefix, StagedMessage* message, Staging& st);

  // The message (channel, provider id) as staged in this batch or stored; nullopt if unknown.
  base::Result<std::optional<MessageRef>> FindMessageRef(int channel, const std::string& provider_message_id, Staging& st);
  base::Status AddDeadLetter(std::string reason, std::string raw, std::string source, const v1::BusFrame* frame,
                       Staging& st);
  // True when `key` is in `staged` (written earlier in this batch) or in `cf`.
  base::Result<bool> IsDuplicate(rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                           const std::unordered_set<std::string>& staged);
  // Stores the frame's blobs not stored yet, and a blob_refs entry for each blob `event`
  // names (erasure/blob_refs.h).
  base::Status StoreBlobs(const v1::BusFrame& frame, const v1::Event& event, Staging& st);
  // A new change of the frame being applied: the next change_seq, the apply time, the frame's
  // tenant.
  v1::ChangeNotification& AddChange(v1::ChangeKind kind, Staging& st);
  base::Status Commit(Staging& st);

  Store& store_;
  const event::IdentityNormalizer& normalizer_;
  std::unique_ptr<FrameAdmission> owned_admission_;  // the single-host constructor's
  FrameAdmission& admission_;
  StoreIdentityReader identity_reader_;
  IdentityResolver resolver_;
  const uint32_t credit_;
  StoreCounters counters_;  // as committed
};

}  // namespace omnihub::unifier
