#include "common/client/conversation_json.h"

#include "common/event/event_json.h"

namespace omnihub::client {

nlohmann::json ConversationEntryToJson(const v1::ConversationEntry& entry) {
  return event::EventToJson(entry.event(), entry.customer_id(),
                            {.statuses = &entry.statuses(), .amendments = entry.has_amendments() ? &entry.amendments() : nullptr});
}

}  // namespace omnihub::client
