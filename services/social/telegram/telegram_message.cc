#include "services/social/telegram/telegram_message.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "common/base/text.h"
#include "services/social/telegram/telegram_event.h"

namespace omnihub::social {
namespace {

using Fields = google::protobuf::Map<std::string, std::string>;

// The media of a message besides photos, each an object with file_id. `animation` comes first:
// Telegram also sets `document` on an animation message, for older clients.
constexpr std::array<std::string_view, 7> kMediaKinds = {"animation", "document", "audio",  "voice",
                                                         "video",     "video_note", "sticker"};

// Width and height beyond this are not pictures; capping them keeps their product in int64.
constexpr int64_t kMaxSide = int64_t{1} << 30;

void SetIfPresent(Fields& fields, const std::string& key, std::string value) {
  if (!value.empty()) fields[key] = std::move(value);
}

int64_t Side(const Json& size, std::string_view key) {
  return std::clamp<int64_t>(OptionalInt(size, key).value_or(0), 0, kMaxSide);
}

// The largest PhotoSize by area, a tie broken by file_size; nullptr when none has a file_id.
const Json* LargestPhotoSize(const Json& sizes) {
  const Json* best = nullptr;
  int64_t best_area = -1;
  int64_t best_bytes = -1;
  for (const Json& size : sizes) {
    if (OptionalString(size, "file_id").empty()) continue;
    const int64_t area = Side(size, "width") * Side(size, "height");
    const int64_t bytes = OptionalInt(size, "file_size").value_or(0);
    if (area > best_area || (area == best_area && bytes > best_bytes)) {
      best = &size;
      best_area = area;
      best_bytes = bytes;
    }
  }
  return best;
}

void AddFile(const Json& file, std::string media_type, v1::Event* e) {
  auto* a = e->add_attachments();
  a->set_name(OptionalString(file, "file_name"));
  a->set_media_type(std::move(media_type));
  a->set_storage_ref(kTelegramFilePrefix + OptionalString(file, "file_id"));
  a->set_size_bytes(static_cast<uint64_t>(std::max<int64_t>(0, OptionalInt(file, "file_size").value_or(0))));
}

// Stickers carry no mime_type; their format says which it is.
std::string StickerMediaType(const Json& sticker) {
  if (OptionalBool(sticker, "is_animated")) return "application/x-tgsticker";
  if (OptionalBool(sticker, "is_video")) return "video/webm";
  return "image/webp";
}

void AddAttachment(const Json& message, v1::Event* e) {
  Fields& fields = *e->mutable_provider_fields();
  if (const Json* photo = Find(message, "photo"); photo != nullptr && photo->is_array()) {
    if (const Json* largest = LargestPhotoSize(*photo); largest != nullptr) {
      fields[kTelegramMediaKindField] = "photo";
      AddFile(*largest, "image/jpeg", e);  // Telegram re-encodes every photo as JPEG
      return;
    }
  }
  for (std::string_view kind : kMediaKinds) {
    const Json* media = Find(message, kind);
    if (media == nullptr || !media->is_object() || OptionalString(*media, "file_id").empty()) continue;
    fields[kTelegramMediaKindField] = std::string(kind);
    std::string media_type = OptionalString(*media, "mime_type");
    if (media_type.empty() && kind == "sticker") media_type = StickerMediaType(*media);
    AddFile(*media, std::move(media_type), e);
    return;
  }
}

// The non-empty parts joined by `separator`.
std::string JoinNonEmpty(std::initializer_list<std::string_view> parts, std::string_view separator) {
  std::string out;
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// A coordinate as the JSON had it (Dump writes the shortest text that reads back the same).
std::string Coordinate(const Json& location, std::string_view key) {
  const Json* v = Find(location, key);
  return v != nullptr && v->is_number() ? Dump(*v) : std::string();
}

// Each of these keeps its object's fields and returns what the message shows when it has no
// text of its own: "location <lat>,<lon>", "venue <title>, <address>", "<names> <phone>".
std::string AddLocation(const Json& location, Fields& fields) {
  const std::string latitude = Coordinate(location, "latitude");
  const std::string longitude = Coordinate(location, "longitude");
  if (latitude.empty() || longitude.empty()) return "";
  fields["location.latitude"] = latitude;
  fields["location.longitude"] = longitude;
  return "location " + latitude + "," + longitude;
}

std::string AddVenue(const Json& venue, Fields& fields) {
  const std::string title = OptionalString(venue, "title");
  const std::string address = OptionalString(venue, "address");
  SetIfPresent(fields, "venue.title", title);
  SetIfPresent(fields, "venue.address", address);
  const std::string place = JoinNonEmpty({title, address}, ", ");
  return place.empty() ? place : "venue " + place;
}

std::string AddContact(const Json& contact, Fields& fields) {
  const std::string phone = OptionalString(contact, "phone_number");
  const std::string first = OptionalString(contact, "first_name");
  const std::string last = OptionalString(contact, "last_name");
  SetIfPresent(fields, "contact.phone_number", phone);
  SetIfPresent(fields, "contact.first_name", first);
  SetIfPresent(fields, "contact.last_name", last);
  SetIfPresent(fields, "contact.user_id", OptionalId(contact, "user_id"));
  SetIfPresent(fields, "contact.vcard", OptionalString(contact, "vcard"));
  return JoinNonEmpty({first, last, phone}, " ");
}

// A venue message also carries its `location` (for older clients): the venue says more.
void AddPlaceAndContact(const Json& message, v1::Event* e) {
  Fields& fields = *e->mutable_provider_fields();
  std::string summary;
  if (const Json* location = Find(message, "location"); location != nullptr) summary = AddLocation(*location, fields);
  if (const Json* venue = Find(message, "venue"); venue != nullptr) {
    if (std::string place = AddVenue(*venue, fields); !place.empty()) summary = std::move(place);
  }
  if (const Json* contact = Find(message, "contact"); contact != nullptr) summary = AddContact(*contact, fields);
  if (e->text().empty()) e->set_text(std::move(summary));
}

// Telegram leaves the format of contact.phone_number open; digits alone are international.
void LinkOwnContact(const Json& message, const DeliveryContext& ctx, v1::Event* e) {
  const Json* contact = Find(message, "contact");
  const Json* from = Find(message, "from");
  if (contact == nullptr || from == nullptr) return;
  const std::string contact_user = OptionalId(*contact, "user_id");
  if (contact_user.empty() || contact_user != OptionalId(*from, "id")) return;
  std::string phone = OptionalString(*contact, "phone_number");
  if (!phone.empty() && std::all_of(phone.begin(), phone.end(), base::IsAsciiDigit)) {
    phone.insert(0, "+");
  }
  auto identity = ctx.normalizer->Phone(phone);
  if (!identity.ok()) return;  // the number stays in provider_fields; a link needs a real one
  auto* link = e->add_party_links();
  *link->mutable_identity() = std::move(*identity);
  link->set_reason(kTelegramOwnContactReason);
}

void AddThreading(const Json& message, std::string_view chat_id, v1::Event* e) {
  Fields& fields = *e->mutable_provider_fields();
  if (const Json* reply = Find(message, "reply_to_message"); reply != nullptr) {
    const std::string reply_id = OptionalId(*reply, "message_id");
    const Json* reply_chat = Find(*reply, "chat");
    std::string reply_chat_id = reply_chat != nullptr ? OptionalId(*reply_chat, "id") : std::string();
    if (reply_chat_id.empty()) reply_chat_id = std::string(chat_id);
    if (!reply_id.empty()) fields[kReplyToField] = TelegramMessageKey(reply_chat_id, reply_id);
  }
  SetIfPresent(fields, "media_group_id", OptionalId(message, "media_group_id"));
  SetIfPresent(fields, "message_thread_id", OptionalId(message, "message_thread_id"));
}

}  // namespace

void AddTelegramMessageContent(const Json& message, std::string_view chat_id, const DeliveryContext& ctx,
                               v1::Event* e) {
  Fields& fields = *e->mutable_provider_fields();
  const bool has_text = Find(message, "text") != nullptr;
  e->set_text(OptionalString(message, has_text ? "text" : "caption"));
  if (const Json* entities = Find(message, has_text ? "entities" : "caption_entities"); entities != nullptr) {
    fields[kTelegramEntitiesField] = Dump(*entities);
  }
  AddAttachment(message, e);
  AddPlaceAndContact(message, e);
  LinkOwnContact(message, ctx, e);
  AddThreading(message, chat_id, e);
}

}  // namespace omnihub::social
