#include "services/unifier/store/delivery_statuses.h"

#include <algorithm>
#include <tuple>

#include "services/unifier/store/store_layout.h"
#include "services/unifier/store/watermark_statuses.h"

namespace omnihub::unifier {

bool IsAttachableStatus(const v1::Event& e) {
  return e.kind() == v1::STATUS && !e.refers_to_provider_message_id().empty() && e.has_delivery_status();
}

bool CanHaveStatuses(const v1::Event& e) { return e.kind() == v1::MESSAGE && !e.provider_message_id().empty(); }

bool LifeOrderLess(const v1::Event& a, const v1::Event& b) {
  return std::forward_as_tuple(a.delivery_status().stage(), a.occurred_at_us(), a.received_at_us(), a.event_id()) <
         std::forward_as_tuple(b.delivery_status().stage(), b.occurred_at_us(), b.received_at_us(), b.event_id());
}

base::Result<std::optional<MessageLocation>> FindMessage(Store& store, int channel, std::string_view provider_message_id,
                                                   const rocksdb::Snapshot* snapshot) {
  auto raw = store.GetRaw(store.message_refs(), MessageRefKey(channel, provider_message_id), snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<MessageLocation>();
  auto key = DecodeRawValue(**raw, "message_refs value");
  if (!key.ok()) return key.status();
  TimelineKeyParts parts;
  if (!DecodeTimelineKey(*key, &parts)) {
    return base::Status::Corruption("message_refs value holds a timeline key of " + std::to_string(key->size()) + " bytes");
  }
  MessageLocation loc;
  loc.timeline_key = std::string(*key);
  loc.identity_id = parts.identity_id;
  loc.event_id = std::string(parts.event_id);
  return std::optional<MessageLocation>(std::move(loc));
}

StatusReader::StatusReader(Store& store, const rocksdb::Snapshot* snapshot) : store_(store) {
  options_.snapshot = snapshot;
}

StatusReader::~StatusReader() = default;

base::Status StatusReader::Read(const v1::Event& message, google::protobuf::RepeatedPtrField<v1::Event>* out) {
  const int first = out->size();
  if (CanHaveStatuses(message)) {
    if (!it_) it_.reset(store_.db()->NewIterator(options_, store_.statuses()));
    // The length prefix of the provider id makes this prefix match exactly one message.
    const std::string prefix = MessageRefKey(message.channel(), message.provider_message_id());
    for (it_->Seek(prefix); it_->Valid() && it_->key().starts_with(prefix); it_->Next()) {
      OMNIHUB_RETURN_IF_ERROR(DecodeValue(it_->value().ToStringView(), out->Add()).WithContext("status record"));
    }
    OMNIHUB_RETURN_IF_ERROR(FromRocks(it_->status(), "status scan"));
  }
  if (CanHaveWatermarkStatuses(message)) {
    if (!watermarks_) watermarks_.reset(store_.db()->NewIterator(options_, store_.amendments()));
    OMNIHUB_RETURN_IF_ERROR(ReadWatermarkStatuses(watermarks_.get(), message, out));
  }
  // Key order is (state, error code); a message has a handful of statuses, so sort here.
  std::sort(out->begin() + first, out->end(), LifeOrderLess);
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
