#include "common/client/search_json.h"

#include <map>
#include <string>
#include <vector>

#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/event/enum_names.h"
#include "common/event/identity.h"

namespace omnihub::client {

nlohmann::json HitToJson(const v1::SearchHit& hit, bool relevance) {
  nlohmann::json j = {{"event_id", base::UuidToString(hit.event_id())},
                      {"customer_id", hit.customer_id()},
                      {"channel", std::string(event::ChannelName(hit.channel()))},
                      {"direction", std::string(event::DirectionName(hit.direction()))},
                      {"occurred_at", base::FormatRfc3339Micros(hit.occurred_at_us())},
                      {"identity", event::IdentityToArgument(hit.identity())},
                      {"subject", hit.subject()},
                      {"snippet", hit.snippet()}};
  if (relevance) j["score"] = hit.score();
  if (!hit.conversation().empty()) j["conversation"] = hit.conversation();
  return j;
}

}  // namespace omnihub::client
