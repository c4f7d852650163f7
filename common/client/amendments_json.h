// A message's edits, deletion and reactions (query.proto MessageAmendments) in the JSON that
// omnihubctl timeline and conversation print, next to the delivery statuses
// (event::AddDeliveryStatusesToJson). Only messages that have amendments get these keys, so the
// lines of every other message stay as they were.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// Adds to a message's EventToJson object:
//   edited: "text" becomes the current text, plus "edited": true, "edited_at" (the latest edit's
//     time) and "history": [{text, at}] (the earlier texts, oldest first, the original first);
//   deleted: "deleted": true and "deleted_at" (the text is already gone when the hub removed it);
//   reactions: "reactions": [{emoji, name (when set), count, by: [identity arguments]}], one
//     item per emoji in the order the emojis were first given, reactors in that order too.
void AddAmendmentsToJson(const v1::MessageAmendments& amendments, nlohmann::json* message);

}  // namespace omnihub::client
