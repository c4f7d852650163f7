// One committed change (bus.proto ChangeNotification) as omnihubctl watch prints it and the
// API's live stream sends it (docs/cli.md "watch", docs/api.md "Live updates"):
// change_seq, kind, committed_at, and what the kind sets of customer_id, merged_customer_id,
// merge_id, event_id, channel, occurred_at, message_event_id, state, identity, dead_letter_id,
// and tenant (a tenant other than the default).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "omnihub/v1/bus.pb.h"

namespace omnihub::client {

// The kind's proto name in lower case ("event_added", "customers_split"); "unknown" for a
// number this build does not know.
std::string ChangeKindName(v1::ChangeKind kind);

nlohmann::json ChangeToJson(const v1::ChangeNotification& c);

}  // namespace omnihub::client
