// A customer and its timeline as JSON, the same for `omnihubctl lookup` and `timeline` and for
// `customer export` (docs/export-format.md), so an export's events are exactly the lines
// `timeline --all` prints.
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// {customer_id, identities [IdentityToJson + argument (+ linked: why, for identities that did
// not create the customer)], event_count, created_at}.
nlohmann::json CustomerToJson(const v1::Customer& customer);

// One object per event of the page, in its order: EventToJson with the customer's id, plus the
// message's delivery statuses (AddDeliveryStatusesToJson) and amendments (AddAmendmentsToJson).
std::vector<nlohmann::json> TimelinePageToJson(const v1::TimelineResponse& page);

}  // namespace omnihub::client
