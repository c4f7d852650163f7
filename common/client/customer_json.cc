#include "common/client/customer_json.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"

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

namespace {

// Calls `each(event, annotations)` for every event of the page, in its order, with the
// statuses and amendments the page holds for it.
template <typename Each>
void ForEachAnnotatedEvent(const v1::TimelineResponse& page, Each each) {
  // Sorted (event id, annotation) lists, searched per event: most pages carry few annotations,
  // and this costs no allocation when they carry none.
  auto index = [](const auto& list) {
    std::vector<std::pair<std::string_view, const std::remove_reference_t<decltype(*list.begin())>*>> by_id;
    by_id.reserve(static_cast<size_t>(list.size()));
    for (const auto& item : list) by_id.emplace_back(item.event_id(), &item);
    std::sort(by_id.begin(), by_id.end());
    return by_id;
  };
  auto find = [](const auto& by_id, std::string_view id) -> decltype(by_id.front().second) {
    auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    return it != by_id.end() && it->first == id ? it->second : nullptr;
  };
  const auto statuses = index(page.statuses());
  const auto amendments = index(page.amendments());
  for (const auto& event : page.events()) {
    const v1::MessageStatuses* status = find(statuses, event.event_id());
    each(event, event::MessageAnnotations{.statuses = status != nullptr ? &status->statuses() : nullptr,
                                          .amendments = find(amendments, event.event_id())});
  }
}

}  // namespace

void WriteTimelinePageJson(base::JsonWriter& w, const v1::TimelineResponse& page) {
  w.BeginArray();
  ForEachAnnotatedEvent(page, [&](const v1::Event& event, const event::MessageAnnotations& annotations) {
    event::WriteEventJson(w, event, page.customer().customer_id(), annotations);
  });
  w.EndArray();
}

std::vector<nlohmann::json> TimelinePageToJson(const v1::TimelineResponse& page) {
  std::vector<nlohmann::json> out;
  out.reserve(static_cast<size_t>(page.events_size()));
  ForEachAnnotatedEvent(page, [&](const v1::Event& event, const event::MessageAnnotations& annotations) {
    out.push_back(event::EventToJson(event, page.customer().customer_id(), annotations));
  });
  return out;
}

}  // namespace omnihub::client
