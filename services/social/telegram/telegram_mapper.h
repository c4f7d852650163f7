// One Telegram webhook request (a JSON Update) -> its events (docs/social.md, "Telegram"):
//   message, channel_post                 MESSAGE "<chat id>:<message_id>"
//   edited_message, edited_channel_post   EDIT of "<chat id>:<message_id>"
//   message_reaction                      one REACTION per reaction added or removed
//   anything else                         ACTIVITY keeping the raw update
// Every event is on channel TELEGRAM with account = the bot's config name (updates do not name
// their bot), INBOUND from the customer to BusinessParty("telegram", bot name), and its raw
// payload is the update.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// InvalidArgument (answered 400) when the body is not one JSON object, update_id is missing, or
// a message, edit or reaction lacks what names it: "message.chat.id is missing".
base::Result<MappedDelivery> MapTelegramUpdate(std::string_view body, const DeliveryContext& ctx);

}  // namespace omnihub::social
