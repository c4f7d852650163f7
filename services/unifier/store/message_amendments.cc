#include "services/unifier/store/message_amendments.h"

#include <algorithm>
#include <tuple>

#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

bool IsAmendment(const v1::Event& e) {
  return (e.kind() == v1::EDIT || e.kind() == v1::DELETE || e.kind() == v1::REACTION) &&
         !e.refers_to_provider_message_id().empty();
}

bool CanBeAmended(const v1::Event& e) { return e.kind() == v1::MESSAGE && !e.provider_message_id().empty(); }

std::string AmendmentPrefixOf(const v1::Event& message) {
  return AmendmentPrefix(message.channel(), message.account(), message.provider_message_id());
}

std::string AmendedMessagePrefix(const v1::Event& amendment) {
  return AmendmentPrefix(amendment.channel(), amendment.account(), amendment.refers_to_provider_message_id());
}

std::string AmendmentKeyOf(const v1::Event& amendment) {
  const std::string& own_id =
      amendment.provider_message_id().empty() ? amendment.event_id() : amendment.provider_message_id();
  return AmendmentKey(amendment.channel(), amendment.account(), amendment.refers_to_provider_message_id(),
                      amendment.kind(), own_id);
}

bool AmendmentOrderLess(const v1::Event& a, const v1::Event& b) {
  return std::forward_as_tuple(a.occurred_at_us(), a.received_at_us(), a.event_id()) <
         std::forward_as_tuple(b.occurred_at_us(), b.received_at_us(), b.event_id());
}

bool RemovesText(const v1::Event& e) {
  if (e.kind() != v1::DELETE) return false;
  return std::find(e.flags().begin(), e.flags().end(), kKeepDeletedTextFlag) == e.flags().end();
}

bool RemoveDeletedText(v1::Event* e) {
  if (std::find(e->flags().begin(), e->flags().end(), kDeletedTextRemovedFlag) != e->flags().end()) return false;
  e->clear_text();
  e->clear_full_text();
  e->clear_quoted_text_trimmed();
  e->clear_html();
  e->clear_raw();
  e->add_flags(kDeletedTextRemovedFlag);
  return true;
}

base::Result<std::optional<AmendableMessage>> FindAmendableMessage(Store& store, int channel, std::string_view account,
                                                                   std::string_view provider_message_id,
                                                                   const rocksdb::Snapshot* snapshot) {
  auto dedup = store.GetRaw(store.dedup(), DedupKey(channel, account, provider_message_id), snapshot);
  if (!dedup.ok()) return dedup.status();
  if (!dedup->has_value()) return std::optional<AmendableMessage>();
  auto event_id = DecodeRawValue(**dedup, "dedup value");
  if (!event_id.ok()) return event_id.status();
  auto stored = store.GetEventById(std::string(*event_id), snapshot);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return base::Status::Corruption("a dedup record names an event that is not stored");
  if (!CanBeAmended((*stored)->record.event())) return std::optional<AmendableMessage>();
  AmendableMessage found;
  found.timeline_key = std::move((*stored)->timeline_key);
  found.record = std::move((*stored)->record);
  return std::optional<AmendableMessage>(std::move(found));
}

AmendmentReader::AmendmentReader(Store& store, const rocksdb::Snapshot* snapshot) : store_(store) {
  options_.snapshot = snapshot;
}

AmendmentReader::~AmendmentReader() = default;

base::Status AmendmentReader::Scan(const std::string& prefix, std::vector<StoredAmendment>* out) {
  if (!it_) it_.reset(store_.db()->NewIterator(options_, store_.amendments()));
  for (it_->Seek(prefix); it_->Valid() && it_->key().starts_with(prefix); it_->Next()) {
    StoredAmendment& a = out->emplace_back();
    a.key = it_->key().ToString();
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it_->value().ToStringView(), &a.event).WithContext("amendment record"));
  }
  return FromRocks(it_->status(), "amendment scan");
}

base::Status AmendmentReader::Read(const v1::Event& message, google::protobuf::RepeatedPtrField<v1::Event>* out) {
  if (!CanBeAmended(message)) return base::Status::Ok();
  std::vector<StoredAmendment> found;
  OMNIHUB_RETURN_IF_ERROR(Scan(AmendmentPrefixOf(message), &found));
  // Key order is (kind, own id); a message has a handful of amendments, so sort here.
  std::sort(found.begin(), found.end(),
            [](const StoredAmendment& a, const StoredAmendment& b) { return AmendmentOrderLess(a.event, b.event); });
  for (auto& a : found) *out->Add() = std::move(a.event);
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
