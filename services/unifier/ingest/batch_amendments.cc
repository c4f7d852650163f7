// The part of BatchProcessor that stores amendments (edits, deletions and reactions naming a
// message) and watermark receipts beside the timelines, and removes a deleted message's text
// (docs/formats/amendments.md). Kept apart from batch_processor.cc: the main path only hands
// these events over and calls StageAmendableMessage for each message it stores.
#include <algorithm>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/erasure/erased_keys.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/store/watermark_statuses.h"

namespace omnihub::unifier {

base::Status BatchProcessor::ProcessAmendment(const v1::BusFrame& frame, v1::Event event, Staging& st) {
  // A provider's retry of the amendment repeats its own id under the same message and kind.
  std::string key = AmendmentKeyOf(event);
  auto dup = IsDuplicate(store_.amendments(), key, {});
  if (!dup.ok()) return dup.status();
  if (!*dup) {
    // An edit, deletion or reaction of an erased message is not stored (a retry, or a late one).
    dup = IsErased(store_, ErasedKind::kAmendedMessage, AmendedMessagePrefix(event));
    if (!dup.ok()) return dup.status();
  }
  if (*dup || st.amendments.records.count(key) > 0) {
    ++st.counters.duplicates;
    return base::Status::Ok();
  }
  const std::string prefix = AmendedMessagePrefix(event);
  auto message = FindAmendedMessage(prefix, event, st);
  if (!message.ok()) return message.status();

  if (RemovesText(event)) {
    OMNIHUB_RETURN_IF_ERROR(RemoveTextOfDeleted(prefix, *message, st));
  } else if (event.kind() == v1::EDIT) {
    // An edit of a message whose deletion removed its text is stored without its text too.
    auto earlier = AmendmentsUnder(prefix, st);
    if (!earlier.ok()) return earlier.status();
    if (std::any_of(earlier->begin(), earlier->end(), [](const StoredAmendment& a) { return RemovesText(a.event); })) {
      RemoveDeletedText(&event);
    }
  }
  // Known message: tell its customer's watchers, naming the message as STATUS_ADDED does.
  // Unknown: the message's own EVENT_ADDED will, and readers find this amendment then.
  if (*message != nullptr) {
    const MessageRef& ref = (*message)->ref;
    v1::ChangeNotification& change = AddChange(v1::EVENT_ADDED, st);
    change.set_event_id(event.event_id());
    change.set_customer_id(ref.customer_id);
    change.set_channel(event.channel());
    change.set_occurred_at_us(event.occurred_at_us());
    *change.mutable_identity() = ref.identity;
    change.set_message_event_id(ref.event_id);
  }
  OMNIHUB_RETURN_IF_ERROR(StoreBlobs(frame, event, st));
  ++st.counters.amendments;
  st.batch.Put(store_.amendments(), key, EncodeValue(event)).PermitUncheckedError();
  st.amendments.records[std::move(key)] = std::move(event);
  return base::Status::Ok();
}

base::Status BatchProcessor::ProcessWatermark(const v1::BusFrame& frame, v1::Event event, Staging& st) {
  // A platform repeats a receipt it thinks was lost: same conversation, state and watermark.
  std::string key = WatermarkKeyOf(event);
  auto dup = IsDuplicate(store_.amendments(), key, {});
  if (!dup.ok()) return dup.status();
  if (*dup || st.amendments.records.count(key) > 0) {
    ++st.counters.duplicates;
    return base::Status::Ok();
  }
  // The receipt covers messages of its party's timeline: tell that customer's watchers, if the
  // hub knows them (a receipt creates no customer).
  if (const v1::Identity* party = event::ExternalParty(event); party != nullptr) {
    const std::string identity_key = TenantIdentityKey(TenantOfDerivedIds(event), *party);
    std::optional<v1::IdentityRecord> identity;
    if (auto it = st.identities.identities.find(identity_key); it != st.identities.identities.end()) {
      identity = it->second;
    } else {
      auto stored = store_.GetIdentity(identity_key);
      if (!stored.ok()) return stored.status();
      identity = std::move(*stored);
    }
    if (identity.has_value()) {
      v1::ChangeNotification& change = AddChange(v1::STATUS_ADDED, st);
      change.set_event_id(event.event_id());
      change.set_customer_id(identity->customer_id());
      change.set_channel(event.channel());
      change.set_occurred_at_us(event.occurred_at_us());
      *change.mutable_identity() = identity->identity();
      change.set_delivery_state(event.delivery_status().state());
    }
  }
  OMNIHUB_RETURN_IF_ERROR(StoreBlobs(frame, event, st));
  ++st.counters.amendments;
  st.batch.Put(store_.amendments(), key, EncodeValue(event)).PermitUncheckedError();
  st.amendments.records[std::move(key)] = std::move(event);
  return base::Status::Ok();
}

base::Status BatchProcessor::StageAmendableMessage(const std::string& timeline_key, const v1::IdentityRecord& identity,
                                                   v1::TimelineRecord* record, Staging& st) {
  const std::string prefix = AmendmentPrefixOf(record->event());
  // A deletion that arrived first: the message is stored without its text.
  auto amendments = AmendmentsUnder(prefix, st);
  if (!amendments.ok()) return amendments.status();
  if (std::any_of(amendments->begin(), amendments->end(),
                  [](const StoredAmendment& a) { return RemovesText(a.event); })) {
    RemoveDeletedText(record->mutable_event());
  }
  StagedMessage& staged = st.amendments.messages[prefix];
  staged.timeline_key = timeline_key;
  staged.record = *record;
  staged.ref = MessageRef{record->event().event_id(), identity.customer_id(), identity.identity()};
  return base::Status::Ok();
}

base::Result<BatchProcessor::StagedMessage*> BatchProcessor::FindAmendedMessage(const std::string& prefix,
                                                                               const v1::Event& amendment,
                                                                               Staging& st) {
  if (auto it = st.amendments.messages.find(prefix); it != st.amendments.messages.end()) return &it->second;
  auto found = FindAmendableMessage(store_, amendment.channel(), amendment.account(),
                                    amendment.refers_to_provider_message_id());
  if (!found.ok()) return found.status();
  if (!found->has_value()) return static_cast<StagedMessage*>(nullptr);
  auto identity = resolver_.IdentityById((*found)->record.identity_id());
  if (!identity.ok()) return identity.status();
  StagedMessage& staged = st.amendments.messages[prefix];
  staged.timeline_key = std::move((*found)->timeline_key);
  staged.record = std::move((*found)->record);
  staged.ref = MessageRef{staged.record.event().event_id(), identity->customer_id(), identity->identity()};
  return &staged;
}

base::Result<std::vector<StoredAmendment>> BatchProcessor::AmendmentsUnder(const std::string& prefix, Staging& st) {
  // Nothing commits while a batch is built, so one iterator serves the whole batch.
  if (!st.amendments.reader) st.amendments.reader = std::make_unique<AmendmentReader>(store_, nullptr);
  std::vector<StoredAmendment> found;
  OMNIHUB_RETURN_IF_ERROR(st.amendments.reader->Scan(prefix, &found));
  for (auto it = st.amendments.records.lower_bound(prefix);
       it != st.amendments.records.end() && it->first.starts_with(prefix); ++it) {
    auto same = std::find_if(found.begin(), found.end(), [&](const StoredAmendment& a) { return a.key == it->first; });
    if (same != found.end()) {
      same->event = it->second;
    } else {
      found.push_back(StoredAmendment{it->first, it->second});
    }
  }
  return found;
}

base::Status BatchProcessor::RemoveTextOfDeleted(const std::string& prefix, StagedMessage* message, Staging& st) {
  if (message != nullptr && RemoveDeletedText(message->record.mutable_event())) {
    st.batch.Put(store_.timeline(), message->timeline_key, EncodeValue(message->record)).PermitUncheckedError();
  }
  auto amendments = AmendmentsUnder(prefix, st);
  if (!amendments.ok()) return amendments.status();
  for (auto& a : *amendments) {
    if (a.event.kind() != v1::EDIT || !RemoveDeletedText(&a.event)) continue;
    st.batch.Put(store_.amendments(), a.key, EncodeValue(a.event)).PermitUncheckedError();
    st.amendments.records[a.key] = std::move(a.event);
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
