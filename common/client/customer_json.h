// A customer and its timeline as JSON, the same for `omnihubctl lookup` and `timeline` and for
// `customer export` (docs/export-format.md), so an export's events are exactly the lines
// `timeline --all` prints.
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/json_writer.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// {customer_id, identities [IdentityToJson + argument (+ linked: why, for identities that did
// not create the customer)], event_count, created_at}.
nlohmann::json CustomerToJson(const v1::Customer& customer);

// The array of the page's events, in its order: each as WriteEventJson with the customer's id and
// the message's delivery statuses and amendments from the page. The API writes it straight
// into its answer; TimelinePageToJson gives the same objects for omnihubctl and the export.
void WriteTimelinePageJson(base::JsonWriter& w, const v1::TimelineResponse& page);
std::vector<nlohmann::json> TimelinePageToJson(const v1::TimelineResponse& page);

}  // namespace omnihub::client
