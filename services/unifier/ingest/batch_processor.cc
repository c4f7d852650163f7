#include "services/unifier/ingest/batch_processor.h"

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/tenant_id.h"
#include "services/unifier/erasure/blob_refs.h"
#include "services/unifier/erasure/erased_keys.h"
#include "services/unifier/ingest/apply_time.h"
#include "services/unifier/ingest/sequence_admission.h"
#include "services/unifier/store/delivery_statuses.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/store/watermark_statuses.h"

namespace omnihub::unifier {

BatchProcessor::BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer, bus::SequenceTracker& tracker,
                               uint32_t credit)
    : BatchProcessor(store, normalizer, std::make_unique<SequenceAdmission>(tracker), credit) {}

BatchProcessor::BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer,
                               std::unique_ptr<FrameAdmission> owned, uint32_t credit)
    : BatchProcessor(store, normalizer, *owned, credit) {
  owned_admission_ = std::move(owned);  // admission_ refers to it
}

BatchProcessor::BatchProcessor(Store& store, const event::IdentityNormalizer& normalizer, FrameAdmission& admission,
                               uint32_t credit)
    : store_(store),
      normalizer_(normalizer),
      admission_(admission),
      identity_reader_(store),
      resolver_(identity_reader_),
      credit_(credit) {}

base::Status BatchProcessor::Init() {
  auto counters = store_.ReadCounters();
  if (!counters.ok()) return counters.status();
  counters_ = *counters;
  return admission_.Load(store_);
}

base::Result<BatchResult> BatchProcessor::Process(std::vector<InboundFrame> frames) {
  return Apply(DecodeFrames(std::move(frames), normalizer_));
}

base::Result<BatchResult> BatchProcessor::Apply(std::vector<DecodedFrame> frames) {
  BatchResult result;
  std::unordered_map<std::string, std::string> routing;  // publisher id -> latest routing id
  std::unordered_set<std::string> resend_requested;
  // A command commits in a batch of its own, so that its handler reads committed state only
  // (docs/identities.md): the frames before it commit first, the ones after it next.
  size_t begin = 0;
  while (begin < frames.size()) {
    size_t end = begin;
    if (frames[begin].is_command) {
      end = begin + 1;
    } else {
      while (end < frames.size() && !frames[end].is_command) ++end;
    }
    Staging st;
    st.counters = counters_;
    // A command's handler may erase; every other batch reads a store nobody else writes.
    if (!frames[begin].is_command) {
      if (base::Status s = PrefetchDedup(frames, begin, end, st); !s.ok()) {
        admission_.Abort();
        return s;
      }
    }
    for (size_t i = begin; i < end; ++i) {
      base::Status s = ProcessFrame(frames[i], st);
      admission_.Record(frames[i].in, store_, st.batch);
      if (!s.ok()) {
        // Only storage failures get here (bad input becomes a dead letter).
        admission_.Abort();
        return s;
      }
    }
    if (st.batch.Count() > 0) {
      base::Status s = Commit(st);
      if (!s.ok()) {
        admission_.Abort();
        return s;
      }
      counters_ = st.counters;
    }
    admission_.Commit();
    for (auto& [publisher, routing_id] : st.routing) routing[publisher] = std::move(routing_id);
    resend_requested.insert(st.resend_requested.begin(), st.resend_requested.end());
    for (auto& change : st.changes) result.changes.push_back(std::move(change));
    begin = end;
  }

  for (const auto& [publisher, routing_id] : routing) {
    OutboundAck out;
    out.routing_id = routing_id;
    out.ack.set_protocol_version(v1::BusVersion::CURRENT);
    out.ack.set_publisher_id(publisher);
    out.ack.set_cumulative_ack(admission_.CumulativeAck(publisher));
    out.ack.set_credit(credit_);
    out.ack.set_resend(resend_requested.count(publisher) > 0);
    result.acks.push_back(std::move(out));
  }
  return result;
}

base::Status BatchProcessor::ProcessFrame(DecodedFrame& decoded, Staging& st) {
  const InboundFrame& in = decoded.in;
  const v1::BusFrame& frame = decoded.frame;
  // A command's tenant is set once it is parsed (ProcessCommand); a dead letter's is the
  // default, as the log sender routes it when the input names none.
  st.tenant = decoded.event.has_value() ? event::WireTenant(decoded.event->tenant_id()) : std::string();
  if (!decoded.parsed) {
    // Without a publisher and sequence there is nobody to acknowledge; keep the bytes.
    return AddDeadLetter("bus frame is not a valid omnihub.v1.BusFrame with publisher_id and sequence", in.bytes,
                         "bus:unparseable", nullptr, st);
  }
  const std::string& publisher = frame.publisher_id();
  st.routing[publisher] = in.routing_id;
  switch (admission_.Admit(frame, store_, st.batch)) {
    case FrameAdmission::Verdict::kDuplicate:
      return base::Status::Ok();  // a resend of something committed: the ack answers it
    case FrameAdmission::Verdict::kGap:
      if (admission_.ShouldRequestResend(publisher)) st.resend_requested.insert(publisher);
      return base::Status::Ok();
    case FrameAdmission::Verdict::kApply:
      break;
  }
  // The frame is applied: its time moves the apply time on (a command's, in ProcessCommand).
  if (decoded.event.has_value()) {
    st.counters.last_apply_time_us = AdvanceApplyTime(st.counters.last_apply_time_us, EventTimeUs(*decoded.event));
  }

  if (frame.protocol_version() != v1::BusVersion::CURRENT) {
    return AddDeadLetter("unsupported bus protocol version " + std::to_string(frame.protocol_version()), in.bytes,
                         "", &frame, st);
  }
  switch (frame.payload_case()) {
    case v1::BusFrame::kEvent:
      return ProcessEvent(decoded, st);
    case v1::BusFrame::kCommand:
      return ProcessCommand(frame, st);
    case v1::BusFrame::kRejected: {
      const auto& rej = frame.rejected();
      return AddDeadLetter(rej.reason(), rej.raw(), rej.source(), &frame, st);
    }
    case v1::BusFrame::PAYLOAD_NOT_SET:
      break;
  }
  return AddDeadLetter("bus frame carries no payload", in.bytes, "", &frame, st);
}

base::Status BatchProcessor::ProcessEvent(DecodedFrame& decoded, Staging& st) {
  const v1::BusFrame& frame = decoded.frame;
  if (!decoded.event.has_value()) {
    return AddDeadLetter(std::move(decoded.event_defect), frame.event(), "", &frame, st);
  }
  v1::Event event = std::move(*decoded.event);
  if (IsAmendment(event)) return ProcessAmendment(frame, std::move(event), st);
  if (IsWatermarkStatus(event)) return ProcessWatermark(frame, std::move(event), st);
  if (IsAttachableStatus(event)) return ProcessStatus(frame, std::move(event), st);

  // Provider retries carry a new event id but the same provider message id.
  std::string dedup_key;
  if (!event.provider_message_id().empty()) {
    dedup_key = DedupKey(event.channel(), event.account(), event.provider_message_id());
    auto dup = IsDuplicateEvent(dedup_key, st);
    if (!dup.ok()) return dup.status();
    if (*dup) {
      ++st.counters.duplicates;
      return base::Status::Ok();
    }
    st.dedup_keys.insert(dedup_key);
    st.batch.Put(store_.dedup(), dedup_key, EncodeRawValue(event.event_id())).PermitUncheckedError();
  }

  auto assigned = resolver_.Assign(event, st.identities, st.counters);
  if (!assigned.ok()) return assigned.status();
  const v1::IdentityRecord* identity = assigned->identity;
  if (assigned->first_sight) {
    v1::ChangeNotification& created = AddChange(v1::CUSTOMER_CREATED, st);
    created.set_customer_id(identity->customer_id());
    *created.mutable_identity() = identity->identity();
  }
  // What the event's party_links did (IDENTITY_LINKED, CUSTOMERS_MERGED), numbered here.
  for (const auto& linked : assigned->changes) AddChange(linked.kind(), st).MergeFrom(linked);
  PutIdentityWrites(store_, assigned->writes, &st.batch);
  ++st.counters.events;

  v1::ChangeNotification& change = AddChange(v1::EVENT_ADDED, st);
  change.set_event_id(event.event_id());
  change.set_customer_id(identity->customer_id());
  change.set_channel(event.channel());
  change.set_occurred_at_us(event.occurred_at_us());
  *change.mutable_identity() = identity->identity();
  change.set_identity_id(identity->identity_id());

  const std::string timeline_key =
      TimelineKey(identity->identity_id(), event.occurred_at_us(), event.event_id());
  if (!event.conversation().empty()) {
    st.batch.Put(store_.conversations(),
                 ConversationKey(event.conversation(), event.occurred_at_us(), event.event_id()),
                 EncodeRawValue(timeline_key))
        .PermitUncheckedError();
  }
  if (CanHaveStatuses(event)) {
    // Lets a later status of this message find whose timeline to notify (STATUS_ADDED).
    const std::string ref_key = MessageRefKey(event.channel(), event.provider_message_id());
    st.batch.Put(store_.message_refs(), ref_key, EncodeRawValue(timeline_key)).PermitUncheckedError();
    st.message_refs[ref_key] = MessageRef{event.event_id(), identity->customer_id(), identity->identity()};
  }
  OMNIHUB_RETURN_IF_ERROR(StoreBlobs(frame, event, st));
  v1::TimelineRecord record;
  record.set_identity_id(identity->identity_id());
  record.set_change_seq(change.change_seq());
  record.set_committed_at_us(change.committed_at_us());
  *record.mutable_event() = std::move(event);
  if (CanBeAmended(record.event())) OMNIHUB_RETURN_IF_ERROR(StageAmendableMessage(timeline_key, *identity, &record, st));
  st.batch.Put(store_.timeline(), timeline_key, EncodeValue(record)).PermitUncheckedError();
  st.batch.Put(store_.events(), record.event().event_id(), EncodeRawValue(timeline_key)).PermitUncheckedError();
  // Identities of other customers written in the message: possible duplicates, never merged.
  return RecordMentionSuggestions(store_, normalizer_, record.event(), *identity, st.identities, st.suggestions,
                                  st.batch, [&](v1::ChangeKind kind) -> v1::ChangeNotification& { return AddChange(kind, st); });
}

namespace {

// The dedup key of a decoded frame whose event ProcessEvent would store, or "".
std::string DedupKeyOfStorableEvent(const DecodedFrame& frame) {
  if (!frame.event.has_value()) return "";
  const v1::Event& e = *frame.event;
  if (IsAmendment(e) || IsWatermarkStatus(e) || IsAttachableStatus(e) || e.provider_message_id().empty()) return "";
  return DedupKey(e.channel(), e.account(), e.provider_message_id());
}

}  // namespace

base::Status BatchProcessor::PrefetchDedup(const std::vector<DecodedFrame>& frames, size_t begin, size_t end,
                                           Staging& st) {
  std::vector<std::string> keys;
  keys.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    if (std::string key = DedupKeyOfStorableEvent(frames[i]); !key.empty()) keys.push_back(std::move(key));
  }
  if (keys.empty()) return base::Status::Ok();
  auto stored = store_.KeysPresent(store_.dedup(), keys);
  if (!stored.ok()) return stored.status();
  // A retry of an erased message is a duplicate too: its dedup record is now a keyed hash.
  std::vector<std::string> erased_keys;
  std::vector<size_t> erased_of;
  for (size_t i = 0; i < keys.size(); ++i) {
    if ((*stored)[i]) continue;
    erased_keys.push_back(ErasedKey(store_, ErasedKind::kDedup, keys[i]));
    erased_of.push_back(i);
  }
  auto erased = store_.KeysPresent(store_.erased_keys(), erased_keys);
  if (!erased.ok()) return erased.status();
  for (size_t j = 0; j < erased_of.size(); ++j) (*stored)[erased_of[j]] = (*erased)[j];
  for (size_t i = 0; i < keys.size(); ++i) st.stored_dedup.emplace(std::move(keys[i]), (*stored)[i]);
  return base::Status::Ok();
}

base::Result<bool> BatchProcessor::IsDuplicateEvent(const std::string& dedup_key, Staging& st) {
  if (st.dedup_keys.count(dedup_key)) return true;
  if (auto known = st.stored_dedup.find(dedup_key); known != st.stored_dedup.end()) return known->second;
  // Not prefetched (PrefetchDedup covers every event it can see; this is the safe way round).
  auto dup = IsDuplicate(store_.dedup(), dedup_key, st.dedup_keys);
  if (!dup.ok() || *dup) return dup;
  return IsErased(store_, ErasedKind::kDedup, dedup_key);
}

base::Status BatchProcessor::ProcessStatus(const v1::BusFrame& frame, v1::Event event, Staging& st) {
  // A provider repeats a callback it thinks was lost: same message, state and error code.
  const v1::DeliveryStatus& status = event.delivery_status();
  std::string key =
      StatusKey(event.channel(), event.refers_to_provider_message_id(), status.state(), status.error_code());
  auto dup = IsDuplicate(store_.statuses(), key, st.status_keys);
  if (!dup.ok()) return dup.status();
  if (!*dup) {
    // A status of an erased message (a retry, or one that comes late) is not stored either.
    dup = IsErased(store_, ErasedKind::kMessageRef, MessageRefKey(event.channel(), event.refers_to_provider_message_id()));
    if (!dup.ok()) return dup.status();
  }
  if (*dup) {
    ++st.counters.duplicates;
    return base::Status::Ok();
  }
  // Known message: tell its customer's watchers. Unknown: the message's own EVENT_ADDED will,
  // and readers find this status under the message's id once it is there.
  auto message = FindMessageRef(event.channel(), event.refers_to_provider_message_id(), st);
  if (!message.ok()) return message.status();
  if (message->has_value()) {
    v1::ChangeNotification& change = AddChange(v1::STATUS_ADDED, st);
    change.set_event_id(event.event_id());
    change.set_customer_id((*message)->customer_id);
    change.set_channel(event.channel());
    change.set_occurred_at_us(event.occurred_at_us());
    *change.mutable_identity() = (*message)->identity;
    change.set_message_event_id((*message)->event_id);
    change.set_delivery_state(status.state());
  }
  OMNIHUB_RETURN_IF_ERROR(StoreBlobs(frame, event, st));
  ++st.counters.statuses;
  st.batch.Put(store_.statuses(), key, EncodeValue(event)).PermitUncheckedError();
  st.status_keys.insert(std::move(key));
  return base::Status::Ok();
}

base::Result<std::optional<BatchProcessor::MessageRef>> BatchProcessor::FindMessageRef(int channel,
                                                                                const std::string& provider_message_id,
                                                                                Staging& st) {
  if (auto it = st.message_refs.find(MessageRefKey(channel, provider_message_id)); it != st.message_refs.end()) {
    return std::optional<MessageRef>(it->second);
  }
  auto location = FindMessage(store_, channel, provider_message_id);
  if (!location.ok()) return location.status();
  if (!location->has_value()) return std::optional<MessageRef>();
  auto identity = resolver_.IdentityById((*location)->identity_id);
  if (!identity.ok()) return identity.status();
  return std::optional<MessageRef>(
      MessageRef{std::move((*location)->event_id), identity->customer_id(), identity->identity()});
}

base::Status BatchProcessor::AddDeadLetter(std::string reason, std::string raw, std::string source,
                                     const v1::BusFrame* frame, Staging& st) {
  v1::DeadLetter dl;
  dl.set_dead_letter_id(++st.counters.last_dead_letter_id);
  dl.set_received_at_us(static_cast<int64_t>(st.counters.last_apply_time_us));
  if (frame != nullptr) {
    dl.set_publisher_id(frame->publisher_id());
    dl.set_sequence(frame->sequence());
    if (frame->has_rejected()) *dl.mutable_context() = frame->rejected().context();
    if (source.empty()) source = "bus:" + frame->publisher_id() + ":" + std::to_string(frame->sequence());
  }
  spdlog::warn("dead letter {} from {}: {}", dl.dead_letter_id(), source, reason);
  dl.set_reason(std::move(reason));
  dl.set_raw(std::move(raw));
  dl.set_source(std::move(source));
  ++st.counters.dead_letters;
  AddChange(v1::DEAD_LETTERED, st).set_dead_letter_id(dl.dead_letter_id());
  st.batch.Put(store_.dead_letters(), base::EncodeFixed64BE(dl.dead_letter_id()), EncodeValue(dl)).PermitUncheckedError();
  return base::Status::Ok();
}

base::Status BatchProcessor::StoreBlobs(const v1::BusFrame& frame, const v1::Event& event, Staging& st) {
  // Who references each blob, so that an erasure knows which blobs nobody else needs.
  for (const auto& sha256 : BlobsReferencedBy(event)) {
    st.batch.Put(store_.blob_refs(), BlobRefKey(sha256, event.event_id()), EncodeRawValue("")).PermitUncheckedError();
  }
  for (const auto& blob : frame.blobs()) {
    if (!st.blob_keys.insert(blob.sha256()).second) continue;
    std::string ignored;
    // Content-addressed: a blob already stored is never written again. KeyMayExist
    // answers "no" from memtable and bloom filters without reading a large value.
    if (store_.db()->KeyMayExist(rocksdb::ReadOptions(), store_.blobs(), blob.sha256(), &ignored)) {
      auto existing = store_.GetRaw(store_.blobs(), blob.sha256());
      if (!existing.ok()) return existing.status();
      if (existing->has_value()) continue;
    }
    v1::BlobRecord rec;
    rec.set_compression(blob.compression());
    rec.set_size_bytes(blob.size_bytes());
    rec.set_data(blob.data());
    rec.set_media_type(blob.media_type());
    st.batch.Put(store_.blobs(), blob.sha256(), EncodeValue(rec)).PermitUncheckedError();
  }
  return base::Status::Ok();
}

base::Result<bool> BatchProcessor::IsDuplicate(rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                         const std::unordered_set<std::string>& staged) {
  if (staged.count(key)) return true;
  auto stored = store_.GetRaw(cf, key);
  if (!stored.ok()) return stored.status();
  return stored->has_value();
}

v1::ChangeNotification& BatchProcessor::AddChange(v1::ChangeKind kind, Staging& st) {
  v1::ChangeNotification& change = st.changes.emplace_back();
  change.set_change_seq(++st.counters.last_change_seq);
  change.set_kind(kind);
  change.set_committed_at_us(static_cast<int64_t>(st.counters.last_apply_time_us));
  change.set_tenant_id(st.tenant);
  return change;
}

base::Status BatchProcessor::Commit(Staging& st) {
  PutIdentityWrites(store_, CustomerWrites(st.identities), &st.batch);
  for (const auto& change : st.changes) {
    v1::ChangeLogRecord rec;
    *rec.mutable_change() = change;
    st.batch.Put(store_.change_log(), base::EncodeFixed64BE(change.change_seq()), EncodeValue(rec)).PermitUncheckedError();
  }
  store_.WriteCounters(st.counters, &st.batch);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(store_.db()->Write(wo, &st.batch), "commit batch");
}

}  // namespace omnihub::unifier
