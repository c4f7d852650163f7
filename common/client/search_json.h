// One search hit as omnihubctl search prints it and the API answers it (docs/search.md):
// event_id, customer_id, channel, direction, occurred_at, identity, subject, snippet, and
// conversation when set; score when ordered by relevance.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json HitToJson(const v1::SearchHit& hit, bool relevance);

}  // namespace omnihub::client
