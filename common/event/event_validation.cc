#include "common/event/event_validation.h"

#include <string>

#include "common/base/text.h"
#include "common/base/uuid.h"

namespace omnihub::event {
namespace {

base::Status FieldError(std::string_view field, std::string_view what) {
  return base::Status::InvalidArgument("field '" + std::string(field) + "' " + std::string(what));
}

base::Status CheckUtf8(std::string_view field, std::string_view value) {
  size_t offset = 0;
  if (base::IsValidUtf8(value, &offset)) return base::Status::Ok();
  return FieldError(field, "is not valid UTF-8 (bad byte at offset " + std::to_string(offset) + ")");
}

base::Status NormalizeInPlace(std::string_view field, v1::Identity* id, const IdentityNormalizer& n) {
  base::Result<v1::Identity> normalized = n.Normalize(*id);
  if (!normalized.ok()) return base::Status::InvalidArgument("field '" + std::string(field) + "': " + normalized.status().message());
  *id = std::move(*normalized);
  return base::Status::Ok();
}

// A status is stored and deduplicated under its state, so "Delivered" and "delivered" must
// be one spelling: the proto asks for the provider's word in lower case.
base::Status CheckAndNormalizeDeliveryStatus(v1::Event* e) {
  if (e->kind() != v1::STATUS) return FieldError("delivery_status", "is only for status events");
  v1::DeliveryStatus* ds = e->mutable_delivery_status();
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("delivery_status.state", ds->state()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("delivery_status.error_code", ds->error_code()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("delivery_status.detail", ds->detail()));
  ds->set_state(base::LowerAscii(base::Trim(ds->state())));
  if (ds->state().empty()) return FieldError("delivery_status.state", "must not be empty");
  if (ds->stage() < 0) return FieldError("delivery_status.stage", "must not be negative");
  if (ds->watermark_us() < 0) return FieldError("delivery_status.watermark_us", "must not be negative");
  if (ds->watermark_us() != 0) {
    // A watermark covers the outbound messages of a conversation, not one message.
    if (!e->refers_to_provider_message_id().empty()) {
      return FieldError("refers_to_provider_message_id", "must be empty on a watermark status (delivery_status.watermark_us)");
    }
    if (e->conversation().empty()) {
      return FieldError("conversation", "is empty (a watermark status covers the messages of its conversation)");
    }
  }
  return base::Status::Ok();
}

// The kind-specific parts: each only on its kind, and what the kind needs.
base::Status CheckKindFields(const v1::Event& e) {
  if (e.has_reaction() && e.kind() != v1::REACTION) return FieldError("reaction", "is only for reaction events");
  if (!e.activity().empty() && e.kind() != v1::ACTIVITY) return FieldError("activity", "is only for activity events");
  if ((e.kind() == v1::EDIT || e.kind() == v1::DELETE || e.kind() == v1::REACTION) &&
      e.refers_to_provider_message_id().empty()) {
    return FieldError("refers_to_provider_message_id",
                      "is empty (edit, delete and reaction events name the message they change)");
  }
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("reaction.emoji", e.reaction().emoji()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("reaction.name", e.reaction().name()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("activity", e.activity()));
  return base::Status::Ok();
}

}  // namespace

const v1::Identity* ExternalParty(const v1::Event& e) {
  if (e.direction() == v1::INBOUND) return e.has_sender() ? &e.sender() : nullptr;
  if (e.direction() == v1::OUTBOUND) return e.recipients_size() > 0 ? &e.recipients(0) : nullptr;
  return nullptr;
}

base::Status ValidateAndNormalizeEvent(v1::Event* e, const IdentityNormalizer& n) {
  if (e->event_id().size() != base::kUuidBytes) {
    return FieldError("event_id", "must be 16 bytes, got " + std::to_string(e->event_id().size()));
  }
  if (e->channel() == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(e->channel())) {
    return FieldError("channel", "is unspecified or unknown");
  }
  if (e->direction() == v1::DIRECTION_UNSPECIFIED || !v1::Direction_IsValid(e->direction())) {
    return FieldError("direction", "is unspecified or unknown");
  }
  if (e->kind() == v1::EVENT_KIND_UNSPECIFIED || !v1::EventKind_IsValid(e->kind())) {
    return FieldError("kind", "is unspecified or unknown");
  }
  if (e->occurred_at_us() <= 0) return FieldError("occurred_at_us", "must be a positive time");
  if (e->account().empty()) return FieldError("account", "must not be empty");
  if (ExternalParty(*e) == nullptr) {
    return e->direction() == v1::INBOUND ? FieldError("sender", "is missing (the customer of an inbound event)")
                                         : FieldError("recipients", "is empty (the customer of an outbound event)");
  }

  if (e->has_sender()) OMNIHUB_RETURN_IF_ERROR(NormalizeInPlace("sender", e->mutable_sender(), n));
  for (int i = 0; i < e->recipients_size(); ++i) {
    OMNIHUB_RETURN_IF_ERROR(
        NormalizeInPlace("recipients[" + std::to_string(i) + "]", e->mutable_recipients(i), n));
  }
  // A linked identity joins the party's customer: an unmatchable spelling would link nothing.
  for (int i = 0; i < e->party_links_size(); ++i) {
    const std::string field = "party_links[" + std::to_string(i) + "]";
    v1::IdentityLink* link = e->mutable_party_links(i);
    if (!link->has_identity()) return FieldError(field + ".identity", "is missing");
    OMNIHUB_RETURN_IF_ERROR(NormalizeInPlace(field + ".identity", link->mutable_identity(), n));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8(field + ".reason", link->reason()));
  }

  // proto3 string fields must hold UTF-8: a serializer would otherwise fail far from the cause.
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("account", e->account()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("provider_message_id", e->provider_message_id()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("conversation", e->conversation()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("subject", e->subject()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("text", e->text()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("html", e->html()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("full_text", e->full_text()));
  OMNIHUB_RETURN_IF_ERROR(CheckUtf8("refers_to_provider_message_id", e->refers_to_provider_message_id()));
  for (int i = 0; i < e->flags_size(); ++i) {
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("flags[" + std::to_string(i) + "]", e->flags(i)));
  }
  for (int i = 0; i < e->attachments_size(); ++i) {
    const v1::Attachment& a = e->attachments(i);
    const std::string prefix = "attachments[" + std::to_string(i) + "].";
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8(prefix + "name", a.name()));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8(prefix + "media_type", a.media_type()));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8(prefix + "storage_ref", a.storage_ref()));
    if (!a.sha256().empty() && a.sha256().size() != 32) {
      return FieldError(prefix + "sha256", "must be 32 bytes or empty, got " + std::to_string(a.sha256().size()));
    }
  }
  if (e->has_delivery_status()) OMNIHUB_RETURN_IF_ERROR(CheckAndNormalizeDeliveryStatus(e));
  OMNIHUB_RETURN_IF_ERROR(CheckKindFields(*e));
  for (const auto& [key, value] : e->provider_fields()) {
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("provider_fields key", key));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("provider_fields[" + base::QuoteForMessage(key) + "]", value));
  }
  if (e->has_raw()) {
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("raw.store", e->raw().store()));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("raw.key", e->raw().key()));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("raw.media_type", e->raw().media_type()));
    OMNIHUB_RETURN_IF_ERROR(CheckUtf8("raw.compression", e->raw().compression()));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::event
