#include "common/client/change_json.h"

#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/event/enum_names.h"
#include "common/event/identity.h"

namespace omnihub::client {

std::string ChangeKindName(v1::ChangeKind kind) {
  if (!v1::ChangeKind_IsValid(kind)) return "unknown";
  return base::LowerAscii(v1::ChangeKind_Name(kind));
}

nlohmann::json ChangeToJson(const v1::ChangeNotification& c) {
  nlohmann::json j = {{"change_seq", c.change_seq()},
                      {"kind", ChangeKindName(c.kind())},
                      {"committed_at", base::FormatRfc3339Micros(c.committed_at_us())}};
  if (!c.customer_id().empty()) j["customer_id"] = c.customer_id();
  if (!c.merged_customer_id().empty()) j["merged_customer_id"] = c.merged_customer_id();
  if (!c.merge_id().empty()) j["merge_id"] = c.merge_id();
  if (c.event_id().size() == base::kUuidBytes) j["event_id"] = base::UuidToString(c.event_id());
  if (c.kind() == v1::EVENT_ADDED || c.kind() == v1::STATUS_ADDED) {
    j["channel"] = event::ChannelName(c.channel());
    j["occurred_at"] = base::FormatRfc3339Micros(c.occurred_at_us());
  }
  if (c.message_event_id().size() == base::kUuidBytes) j["message_event_id"] = base::UuidToString(c.message_event_id());
  if (!c.delivery_state().empty()) j["state"] = c.delivery_state();
  if (c.has_identity()) j["identity"] = event::IdentityToArgument(c.identity());
  if (c.dead_letter_id() != 0) j["dead_letter_id"] = c.dead_letter_id();
  // Only another tenant's: the default tenant's changes read as they did before tenants.
  if (!c.tenant_id().empty()) j["tenant"] = c.tenant_id();
  return j;
}

}  // namespace omnihub::client
