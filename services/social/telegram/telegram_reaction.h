// Telegram `message_reaction` updates -> REACTION events (docs/social.md, "Telegram"). Telegram
// reports a reactor's whole set of reactions on one message before and after a change; the hub
// keeps the difference: one event per reaction added and one (removed) per reaction taken back.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// `reaction` is the update's `message_reaction` object. Events are named
// "update:<update_id>:<i>" (i counts the update's events from 0), removals first; each carries
// `raw_json`. The reactor is `user`, else `actor_chat` (an anonymous admin), else the bot itself
// (kBusinessPartyFlag). FieldError naming the path when chat.id or message_id is missing.
base::Result<MappedDelivery> MapTelegramReaction(const Json& reaction, std::string_view update_id,
                                                 const std::string& raw_json, const DeliveryContext& ctx);

}  // namespace omnihub::social
