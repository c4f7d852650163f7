// One entry of a conversation (query.proto ConversationEntry) as omnihubctl conversation prints
// it and GET /api/v1/conversations/{id} answers it: the event as EventToJson with the customer
// whose timeline holds it, its delivery statuses and its edits, deletion and reactions.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json ConversationEntryToJson(const v1::ConversationEntry& entry);

}  // namespace omnihub::client
