#include "services/social/meta/whatsapp_message.h"

#include <algorithm>
#include <initializer_list>

namespace omnihub::social {
namespace {

using Fields = google::protobuf::Map<std::string, std::string>;

// Every member of `obj` except `skip` into provider_fields["<prefix>.<member>"].
void KeepMembers(const Json& obj, std::string_view prefix, std::initializer_list<std::string_view> skip,
                 Fields* fields) {
  for (const auto& [key, value] : obj.items()) {
    if (value.is_null() || std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    (*fields)[std::string(prefix) + "." + key] = FieldText(value);
  }
}

std::string JoinNonEmpty(std::initializer_list<std::string> parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

bool IsMediaType(std::string_view type) {
  return type == "image" || type == "audio" || type == "video" || type == "document" || type == "sticker";
}

void FillMedia(const Json& media, const std::string& type, v1::Event* e) {
  auto* a = e->add_attachments();
  a->set_name(OptionalString(media, "filename"));
  a->set_media_type(OptionalString(media, "mime_type"));
  if (std::string id = OptionalId(media, "id"); !id.empty()) a->set_storage_ref(kWhatsAppMediaRefPrefix + id);
  e->set_text(OptionalString(media, "caption"));
  KeepMembers(media, type, {"id", "mime_type", "filename", "caption"}, e->mutable_provider_fields());
}

void FillLocation(const Json& location, v1::Event* e) {
  e->set_text(JoinNonEmpty({OptionalString(location, "name"), OptionalString(location, "address")}, ", "));
  KeepMembers(location, "location", {}, e->mutable_provider_fields());
}

base::Status FillContacts(const Json& message, std::string_view path, v1::Event* e) {
  auto cards = RequiredArray(message, "contacts", path);
  if (!cards.ok()) return cards.status();
  const std::string cards_path = JoinPath(path, "contacts");
  std::string names;
  for (size_t i = 0; i < (*cards)->size(); ++i) {
    auto card = ObjectAt(**cards, i, cards_path);
    if (!card.ok()) return card.status();
    names = JoinNonEmpty({names, OptionalString(MemberOrEmpty(**card, "name"), "formatted_name")}, ", ");
  }
  e->set_text(std::move(names));
  (*e->mutable_provider_fields())["contacts"] = Dump(**cards);
  return base::Status::Ok();
}

// button_reply / list_reply (and flows' nfm_reply): the object named by `type` holds the reply.
void FillInteractive(const Json& interactive, v1::Event* e) {
  const std::string type = OptionalString(interactive, "type");
  auto& fields = *e->mutable_provider_fields();
  fields["interactive.type"] = type;
  const Json* reply = type.empty() ? nullptr : Find(interactive, type);
  if (reply == nullptr || !reply->is_object()) return;
  e->set_text(OptionalString(*reply, "title"));
  KeepMembers(*reply, "interactive", {"title"}, &fields);
}

base::Status FillReaction(const Json& reaction, std::string_view path, v1::Event* e) {
  auto target = RequiredId(reaction, "message_id", path);
  if (!target.ok()) return target.status();
  e->set_kind(v1::REACTION);
  e->set_refers_to_provider_message_id(*target);
  const std::string emoji = OptionalString(reaction, "emoji");
  e->mutable_reaction()->set_emoji(emoji);
  e->mutable_reaction()->set_removed(emoji.empty());
  return base::Status::Ok();
}

void FillActivity(const Json& message, const std::string& type, v1::Event* e) {
  e->set_kind(v1::ACTIVITY);
  if (type == "unsupported" || type == "system") {
    e->set_activity(type);
  } else {
    e->set_activity("unknown:" + type);
  }
  e->set_text(OptionalString(MemberOrEmpty(message, "system"), "body"));
}

// What every type may carry.
void FillCommon(const Json& message, v1::Event* e) {
  auto& fields = *e->mutable_provider_fields();
  if (const Json* context = Find(message, "context")) {
    if (std::string id = OptionalId(*context, "id"); !id.empty()) fields[kReplyToField] = id;
    KeepMembers(*context, "context", {"id"}, &fields);
  }
  KeepMember(message, "referral", "referral", e);
  KeepMember(message, "errors", "errors", e);
}

}  // namespace

base::Status FillWhatsAppMessage(const Json& message, const std::string& type, std::string_view path, v1::Event* e) {
  e->set_kind(v1::MESSAGE);
  FillCommon(message, e);
  if (type == "contacts") return FillContacts(message, path, e);
  const bool known = type == "text" || IsMediaType(type) || type == "location" || type == "interactive" ||
                     type == "button" || type == "reaction";
  if (!known) {
    FillActivity(message, type, e);
    return base::Status::Ok();
  }
  auto content = RequiredObject(message, type, path);
  if (!content.ok()) return content.status();
  const Json& c = **content;
  if (type == "text") {
    e->set_text(OptionalString(c, "body"));
  } else if (IsMediaType(type)) {
    FillMedia(c, type, e);
  } else if (type == "location") {
    FillLocation(c, e);
  } else if (type == "interactive") {
    FillInteractive(c, e);
  } else if (type == "button") {
    e->set_text(OptionalString(c, "text"));
    KeepMember(c, "payload", "button.payload", e);
  } else {
    return FillReaction(c, JoinPath(path, type), e);
  }
  return base::Status::Ok();
}

}  // namespace omnihub::social
