#include "common/client/profile_json.h"

#include <algorithm>
#include <string>

#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/client/customer_json.h"
#include "common/client/graph_json.h"
#include "common/event/enum_names.h"
#include "common/event/identity.h"

namespace omnihub::client {
namespace {

using Json = nlohmann::json;

// A time the profile has only when there are entries.
Json ContactTime(bool has_entries, int64_t us) {
  return has_entries ? Json(base::FormatRfc3339Micros(us)) : Json(nullptr);
}

}  // namespace

Json CustomerProfileToJson(const v1::CustomerProfileResponse& profile) {
  const v1::Customer& customer = profile.customer();
  Json j = CustomerToJson(customer);

  IdentityArguments arguments;
  const int parallel = std::min(customer.identities_size(), profile.identities_size());
  for (int i = 0; i < parallel; ++i) {
    arguments[profile.identities(i).identity_id()] = event::IdentityToArgument(customer.identities(i));
  }
  Json& identities = j["identities"];
  for (int i = 0; i < parallel; ++i) {
    const v1::ProfileIdentity& p = profile.identities(i);
    const bool has_entries = p.first_at_us() != 0 || p.last_at_us() != 0;
    Json& identity = identities[static_cast<size_t>(i)];
    identity["identity_id"] = p.identity_id();
    identity["reason"] = LinkReasonToJson(p.reason(), arguments);
    identity["first_contact_at"] = ContactTime(has_entries, p.first_at_us());
    identity["last_contact_at"] = ContactTime(has_entries, p.last_at_us());
  }

  const v1::RecentSummary& recent = profile.recent();
  const bool has_entries = recent.entries() > 0;
  j["first_contact_at"] = ContactTime(has_entries, profile.first_contact_at_us());
  j["last_contact_at"] = ContactTime(has_entries, profile.last_contact_at_us());
  Json channels = Json::array();
  for (int ch : recent.channels()) channels.push_back(event::ChannelName(static_cast<v1::Channel>(ch)));
  j["channels"] = std::move(channels);
  j["counts"] = {{"events", customer.event_count()}, {"identities", customer.identities_size()}};
  j["recent"] = {{"entries", recent.entries()},
                 {"complete", recent.complete()},
                 {"messages_inbound", recent.messages_inbound()},
                 {"messages_outbound", recent.messages_outbound()},
                 {"notes", recent.notes()},
                 {"activities", recent.activities()}};
  Json open = Json::array();
  for (const auto& c : recent.open_conversations()) {
    open.push_back({{"conversation", c.conversation()},
                    {"channel", event::ChannelName(c.channel())},
                    {"event_id", base::UuidToString(c.event_id())},
                    {"waiting_since", base::FormatRfc3339Micros(c.waiting_since_us())}});
  }
  j["open_conversations"] = std::move(open);
  return j;
}

}  // namespace omnihub::client
