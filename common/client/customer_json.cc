#include "common/client/customer_json.h"

#include <map>
#include <string>

#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"
#include "common/client/amendments_json.h"

namespace omnihub::client {
namespace {

// Why an identity belongs to its customer, for identities that did not create it: the
// platform's reason ("whatsapp: one message carried both wa_id and user_id"), and the customer
// it came from when a merge moved it. Empty for a first sight (and from older hubs).
std::string LinkText(const v1::IdentityLinkReason& reason) {
  // A first sight (also a WhatsApp sender's number, SENDER_IS_PHONE) created the customer.
  if (reason.rule() == v1::LinkReason::FIRST_SIGHT || reason.rule() == v1::LinkReason::SENDER_IS_PHONE ||
      reason.rule() == v1::LinkReason::RULE_UNSPECIFIED) {
    return "";
  }
  std::string text = reason.detail().empty() ? base::LowerAscii(v1::LinkReason::Rule_Name(reason.rule())) : reason.detail();
  if (!reason.merged_from().empty()) text += " (merged from customer " + reason.merged_from() + ")";
  return text;
}

}  // namespace

nlohmann::json CustomerToJson(const v1::Customer& c) {
  nlohmann::json identities = nlohmann::json::array();
  for (int i = 0; i < c.identities_size(); ++i) {
    const v1::Identity& id = c.identities(i);
    nlohmann::json j = event::IdentityToJson(id);
    j["argument"] = event::IdentityToArgument(id);
    if (i < c.link_reasons_size()) {
      if (std::string linked = LinkText(c.link_reasons(i)); !linked.empty()) j["linked"] = std::move(linked);
    }
    identities.push_back(std::move(j));
  }
  return {{"customer_id", c.customer_id()},
          {"identities", std::move(identities)},
          {"event_count", c.event_count()},
          {"created_at", base::FormatRfc3339Micros(c.created_at_us())}};
}

std::vector<nlohmann::json> TimelinePageToJson(const v1::TimelineResponse& page) {
  std::map<std::string, const v1::MessageStatuses*> statuses;  // by the message's event id
  for (const auto& s : page.statuses()) statuses[s.event_id()] = &s;
  std::map<std::string, const v1::MessageAmendments*> amendments;  // by the message's event id
  for (const auto& a : page.amendments()) amendments[a.event_id()] = &a;
  std::vector<nlohmann::json> out;
  out.reserve(static_cast<size_t>(page.events_size()));
  for (const auto& event : page.events()) {
    nlohmann::json j = event::EventToJson(event, page.customer().customer_id());
    if (auto it = statuses.find(event.event_id()); it != statuses.end()) {
      event::AddDeliveryStatusesToJson(it->second->statuses(), &j);
    }
    if (auto it = amendments.find(event.event_id()); it != amendments.end()) AddAmendmentsToJson(*it->second, &j);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace omnihub::client
