// The content of one WhatsApp Cloud API message (value.messages[i]) by its `type`
// (channel-formats section 5.5; docs/social.md, "Meta"): text, media as attachment metadata
// (the bytes stay at Meta: storage_ref "whatsapp-media:<media id>"), location, shared
// contacts, interactive and button replies as text with their ids in provider_fields, a
// reaction as a REACTION; `unsupported`, `system` and types the hub does not know become an
// ACTIVITY ("unsupported", "system", "unknown:<type>"). For every type: context (a reply)
// names the message it answers in provider_fields[kReplyToField], and referral and errors are
// kept as JSON in provider_fields.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "services/social/meta/meta_event.h"

namespace omnihub::social {

// The prefix of Attachment.storage_ref for media held by WhatsApp, fetched by media id through
// the Graph API.
inline constexpr char kWhatsAppMediaRefPrefix[] = "whatsapp-media:";

// Sets kind (MESSAGE, REACTION or ACTIVITY), activity, text, attachments, reaction,
// refers_to and provider_fields of `e` from `message` (at `path`) of type `type`. FieldError
// when the type's own object is missing or malformed.
base::Status FillWhatsAppMessage(const Json& message, const std::string& type, std::string_view path, v1::Event* e);

}  // namespace omnihub::social
