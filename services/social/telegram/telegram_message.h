// The content of a Telegram Message object on its event (docs/social.md, "Telegram"): text or
// caption with its entities, one attachment, location, venue, contact, and what the message
// answers or belongs to (reply, album, forum topic).
//
// Files stay on Telegram's servers until someone fetches them with getFile, so an attachment is
// metadata only, its storage_ref "telegram-file:<file_id>". Telegram sends every photo in
// several sizes of the same picture; only the largest is kept.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "omnihub/v1/event.pb.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// storage_ref prefix of a Telegram file: the rest is the file_id.
inline constexpr char kTelegramFilePrefix[] = "telegram-file:";

// provider_fields keys. Platform field names are kept as Telegram writes them ("media_group_id");
// nested ones are "<object>.<field>" ("contact.phone_number", "location.latitude").
inline constexpr char kTelegramMediaKindField[] = "media.kind";  // "photo", "document", "sticker", ...
inline constexpr char kTelegramEntitiesField[] = "entities";     // entities or caption_entities, as JSON

// The reason of the identity link a shared contact makes (IdentityLink.reason).
inline constexpr char kTelegramOwnContactReason[] =
    "telegram: the sender shared their own contact (contact.user_id equals from.id)";

// Fills `e`'s text, attachments, provider_fields and party_links from `message`, whose chat id
// is `chat_id`. Never fails: content fields are optional, and one that is malformed is left out
// (the raw update keeps it). A contact whose user_id equals from.id links the sender to its
// phone number; one whose number does not parse links nothing.
void AddTelegramMessageContent(const Json& message, std::string_view chat_id, const DeliveryContext& ctx,
                               v1::Event* e);

}  // namespace omnihub::social
