#include "common/client/conversation_json.h"

#include "common/client/amendments_json.h"
#include "common/event/event_json.h"

namespace omnihub::client {

nlohmann::json ConversationEntryToJson(const v1::ConversationEntry& entry) {
  nlohmann::json j = event::EventToJson(entry.event(), entry.customer_id());
  event::AddDeliveryStatusesToJson(entry.statuses(), &j);
  if (entry.has_amendments()) AddAmendmentsToJson(entry.amendments(), &j);
  return j;
}

}  // namespace omnihub::client
