#include "services/social/x/x_direct_messages.h"

#include <string>

namespace omnihub::social {
namespace {

constexpr std::string_view kKey = "direct_message_events";

// X names a DM attachment's kind, not its format.
std::string MediaTypeOf(std::string_view media_kind) {
  if (media_kind == "photo") return "image/*";
  if (media_kind == "video" || media_kind == "animated_gif") return "video/*";
  return "";
}

void AddMessageData(const Json& data, v1::Event* e) {
  auto& fields = *e->mutable_provider_fields();
  e->set_text(OptionalString(data, "text"));
  if (const Json* entities = Find(data, "entities"); entities != nullptr) fields["entities"] = Dump(*entities);
  if (const Json* reply = Find(data, "quick_reply_response"); reply != nullptr) {
    fields["quick_reply_response"] = Dump(*reply);
  }
  const Json* attachment = Find(data, "attachment");
  const Json* media = attachment != nullptr ? Find(*attachment, "media") : nullptr;
  if (media == nullptr) return;
  const std::string url = OptionalString(*media, "media_url_https");
  if (url.empty()) return;
  auto* a = e->add_attachments();
  a->set_storage_ref(url);
  a->set_media_type(MediaTypeOf(OptionalString(*media, "type")));
}

base::Result<MappedEvent> MapMessageCreate(const XDelivery& d, const Json& event, const std::string& path) {
  auto id = RequiredId(event, "id", path);
  if (!id.ok()) return id.status();
  const std::string create_path = JoinPath(path, "message_create");
  auto create = RequiredObject(event, "message_create", path);
  if (!create.ok()) return create.status();
  auto sender_id = RequiredId(**create, "sender_id", create_path);
  if (!sender_id.ok()) return sender_id.status();
  const std::string target_path = JoinPath(create_path, "target");
  auto target = RequiredObject(**create, "target", create_path);
  if (!target.ok()) return target.status();
  auto recipient_id = RequiredId(**target, "recipient_id", target_path);
  if (!recipient_id.ok()) return recipient_id.status();

  v1::Event e = NewXEvent(d, v1::MESSAGE);
  e.set_provider_message_id(*id);
  SetOccurredFromMillis(OptionalInt(event, "created_timestamp"), *d.ctx, &e);
  auto customer = SetXParties(d, {*sender_id, JoinPath(create_path, "sender_id")},
                              {*recipient_id, JoinPath(target_path, "recipient_id")}, &e);
  if (!customer.ok()) return customer.status();
  if (e.direction() == v1::OUTBOUND) e.add_flags(kEchoFlag);
  e.set_conversation(XConversation(d, "dm", *customer));
  if (const Json* data = Find(**create, "message_data"); data != nullptr) AddMessageData(*data, &e);
  if (std::string app = OptionalId(**create, "source_app_id"); !app.empty()) {
    (*e.mutable_provider_fields())["source_app_id"] = std::move(app);
  }
  return MappedEvent{std::move(e), Dump(event)};
}

// A DM event of a type the hub does not read: kept whole, named by its id.
base::Result<MappedEvent> MapOtherType(const XDelivery& d, const Json& event, std::string_view type,
                                       const std::string& path) {
  auto id = RequiredId(event, "id", path);
  if (!id.ok()) return id.status();
  v1::Event e = NewXEvent(d, v1::ACTIVITY);
  e.set_activity(std::string(type));
  e.set_provider_message_id(*id);
  SetOccurredFromMillis(OptionalInt(event, "created_timestamp"), *d.ctx, &e);
  SetPlatformNoticeParty(d, &e);
  return MappedEvent{std::move(e), Dump(event)};
}

base::Result<MappedEvent> MapDirectMessage(const XDelivery& d, const Json& event, const std::string& path) {
  auto type = RequiredString(event, "type", path);
  if (!type.ok()) return type.status();
  return *type == "message_create" ? MapMessageCreate(d, event, path) : MapOtherType(d, event, *type, path);
}

}  // namespace

base::Status MapXDirectMessages(const XDelivery& d, const Json& events, MappedDelivery* out) {
  return MapXElements(d, kKey, events, MapDirectMessage, out);
}

}  // namespace omnihub::social
