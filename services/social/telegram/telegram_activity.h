// Telegram updates that are not messages, edits or reactions (callback_query, my_chat_member,
// chat_member, poll_answer, the business_* updates and whatever Telegram adds later) -> one
// ACTIVITY event that keeps the whole update (docs/social.md, "Telegram").
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// `update` is the whole Update. activity = its content key in Telegram's words ("callback_query";
// "update" when it has none besides update_id), provider id "update:<update_id>", raw_json =
// `raw_json`. The party is the content's `from` (or `user`, as in poll_answer) when it is a
// readable User, else the bot itself (kBusinessPartyFlag); the conversation is the content's
// chat (`chat`, or `message.chat` of a callback query), else the user's private chat. Never
// fails: an update the hub does not understand must still be kept.
MappedEvent MapTelegramActivity(const Json& update, std::string_view update_id, std::string raw_json,
                                const DeliveryContext& ctx);

}  // namespace omnihub::social
