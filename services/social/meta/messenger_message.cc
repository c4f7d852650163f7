#include "services/social/meta/messenger_message.h"

namespace omnihub::social {
namespace {

// The attachment types whose media class is certain; the rest (file, reel, template, ...)
// leave media_type empty rather than guess.
std::string MediaClass(std::string_view type) {
  if (type == "image" || type == "audio" || type == "video") return std::string(type) + "/*";
  return "";
}

std::string FirstNonEmpty(std::initializer_list<std::string> values) {
  for (const auto& v : values) {
    if (!v.empty()) return v;
  }
  return "";
}

base::Status AddAttachments(const Json& message, std::string_view path, v1::Event* e) {
  auto attachments = OptionalArray(message, "attachments", path);
  if (!attachments.ok()) return attachments.status();
  if (*attachments == nullptr) return base::Status::Ok();
  const std::string array_path = JoinPath(path, "attachments");
  auto& fields = *e->mutable_provider_fields();
  for (size_t i = 0; i < (*attachments)->size(); ++i) {
    auto item = ObjectAt(**attachments, i, array_path);
    if (!item.ok()) return item.status();
    const Json& att = **item;
    const std::string type = OptionalString(att, "type");
    // A fallback (a shared link) may have no payload, and its title and URL beside the type.
    const Json* payload = Find(att, "payload");
    const Json& p = MemberOrEmpty(att, "payload");
    auto* a = e->add_attachments();
    a->set_name(
        FirstNonEmpty({OptionalString(p, "title"), OptionalString(p, "filename"), OptionalString(att, "title")}));
    a->set_media_type(MediaClass(type));
    a->set_storage_ref(FirstNonEmpty({OptionalString(p, "url"), OptionalString(att, "url")}));
    const std::string key = "attachments[" + std::to_string(i) + "]";
    if (!type.empty()) fields[key + ".type"] = type;
    if (payload != nullptr) fields[key + ".payload"] = Dump(*payload);
  }
  return base::Status::Ok();
}

base::Status MapDeletion(const MessengerElement& el, const std::string& mid, MappedDelivery* out) {
  auto sides = ReadSides(el, /*from_business=*/false);
  if (!sides.ok()) return sides.status();
  MappedEvent m = NewElementEvent(el, *sides, v1::INBOUND);
  m.event.set_kind(v1::DELETE);
  m.event.set_refers_to_provider_message_id(mid);
  m.event.set_provider_message_id("delete:" + mid);
  if (el.ctx.keep_deleted_text) m.event.add_flags(kKeepDeletedTextFlag);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

}  // namespace

base::Status MapMessengerMessage(const MessengerElement& el, const Json& message, MappedDelivery* out) {
  const std::string path = JoinPath(el.path, "message");
  auto mid = RequiredId(message, "mid", path);
  if (!mid.ok()) return mid.status();
  if (OptionalBool(message, "is_deleted")) return MapDeletion(el, *mid, out);

  const bool echo = OptionalBool(message, "is_echo");
  auto sides = ReadSides(el, echo);
  if (!sides.ok()) return sides.status();
  MappedEvent m = NewElementEvent(el, *sides, echo ? v1::OUTBOUND : v1::INBOUND);
  v1::Event& e = m.event;
  e.set_kind(v1::MESSAGE);
  e.set_provider_message_id(*mid);
  e.set_text(OptionalString(message, "text"));
  if (echo) {
    e.add_flags(kEchoFlag);
    KeepMember(message, "app_id", "app_id", &e);
    KeepMember(message, "metadata", "metadata", &e);
  }
  OMNIHUB_RETURN_IF_ERROR(AddAttachments(message, path, &e));
  KeepMember(MemberOrEmpty(message, "quick_reply"), "payload", "quick_reply.payload", &e);
  KeepMember(MemberOrEmpty(message, "reply_to"), "mid", kReplyToField, &e);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapMessengerPostback(const MessengerElement& el, const Json& postback, MappedDelivery* out) {
  auto sides = ReadSides(el, /*from_business=*/false);
  if (!sides.ok()) return sides.status();
  MappedEvent m = NewElementEvent(el, *sides, v1::INBOUND);
  v1::Event& e = m.event;
  e.set_kind(v1::MESSAGE);
  e.add_flags(kPostbackFlag);
  e.set_text(OptionalString(postback, "title"));
  KeepMember(postback, "payload", "postback.payload", &e);
  KeepMember(postback, "referral", "postback.referral", &e);
  std::string mid = OptionalId(postback, "mid");
  e.set_provider_message_id(!mid.empty() ? std::move(mid) : "postback:" + sides->user_id + ":" + TimestampText(el));
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapMessengerReaction(const MessengerElement& el, const Json& reaction, MappedDelivery* out) {
  const std::string path = JoinPath(el.path, "reaction");
  auto mid = RequiredId(reaction, "mid", path);
  if (!mid.ok()) return mid.status();
  auto sides = ReadSides(el, /*from_business=*/false);
  if (!sides.ok()) return sides.status();
  MappedEvent m = NewElementEvent(el, *sides, v1::INBOUND);
  v1::Event& e = m.event;
  e.set_kind(v1::REACTION);
  e.set_refers_to_provider_message_id(*mid);
  const std::string action = OptionalString(reaction, "action");
  e.mutable_reaction()->set_emoji(OptionalString(reaction, "emoji"));
  e.mutable_reaction()->set_name(OptionalString(reaction, "reaction"));
  e.mutable_reaction()->set_removed(action == "unreact");
  e.set_provider_message_id("reaction:" + *mid + ":" + sides->user_id + ":" + action + ":" + TimestampText(el));
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapMessengerEdit(const MessengerElement& el, const Json& edit, MappedDelivery* out) {
  const std::string path = JoinPath(el.path, "message_edit");
  auto mid = RequiredId(edit, "mid", path);
  if (!mid.ok()) return mid.status();
  auto sides = ReadSides(el, /*from_business=*/false);
  if (!sides.ok()) return sides.status();
  MappedEvent m = NewElementEvent(el, *sides, v1::INBOUND);
  v1::Event& e = m.event;
  e.set_kind(v1::EDIT);
  e.set_refers_to_provider_message_id(*mid);
  e.set_text(OptionalString(edit, "text"));
  const std::string num_edit = OptionalId(edit, "num_edit");
  if (!num_edit.empty()) (*e.mutable_provider_fields())["num_edit"] = num_edit;
  e.set_provider_message_id("edit:" + *mid + ":" + num_edit);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

}  // namespace omnihub::social
