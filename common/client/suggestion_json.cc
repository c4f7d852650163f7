#include "common/client/suggestion_json.h"

#include <map>
#include <string>
#include <vector>

#include "common/base/coding.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/event/identity.h"

namespace omnihub::client {

nlohmann::json SuggestionToJson(const v1::Suggestion& s) {
  const v1::SuggestionRecord& r = s.record();
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : r.evidence()) {
    evidence.push_back({{"event_id", e.event_id().size() == base::kUuidBytes ? base::UuidToString(e.event_id())
                                                                            : base::HexEncode(e.event_id())},
                        {"text", e.text()},
                        {"occurred_at", base::FormatRfc3339Micros(e.occurred_at_us())}});
  }
  nlohmann::json j = {{"suggestion_id", s.suggestion_id()},
                      {"state", s.state()},
                      {"customer_id", s.customer_id()},
                      {"other_customer_id", s.other_customer_id()},
                      {"mentioned", event::IdentityToArgument(r.mentioned())},
                      {"author", event::IdentityToArgument(r.author())},
                      {"evidence", std::move(evidence)},
                      {"first_seen", base::FormatRfc3339Micros(r.first_seen_us())}};
  if (r.dismissed()) {
    j["dismissed_by"] = r.dismissed_by();
    j["dismiss_reason"] = r.dismiss_reason();
    j["dismissed_at"] = base::FormatRfc3339Micros(r.dismissed_at_us());
  }
  return j;
}

nlohmann::json DismissalToJson(const std::string& suggestion_id, const v1::CommandResult& result) {
  return {{"suggestion_id", suggestion_id},
          {"state", "dismissed"},
          {"command_id", base::UuidToString(result.command_id())},
          {"change_seq", result.change_seq()}};
}

}  // namespace omnihub::client
