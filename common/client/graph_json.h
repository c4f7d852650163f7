// The identity graph as omnihubctl prints it (docs/cli.md "customer explain"): snake_case
// JSON of the unifier's ExplainResponse and MergePreviewResponse. Every identity carries its
// reason as {rule, event_id, actor, reason, at, merge_id, merged_from, anchor}, with null for
// what the reason does not say, so a reader finds the same keys on every identity.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// identity id -> its argument form ("email:ana@example.com"), which a reason's anchor names.
using IdentityArguments = std::map<uint64_t, std::string>;

nlohmann::json ExplainToJson(const v1::ExplainResponse& explain);
// One reason object as above; the anchor gets its argument when `arguments` has it.
nlohmann::json LinkReasonToJson(const v1::LinkReason& reason, const IdentityArguments& arguments);
nlohmann::json MergePreviewToJson(const v1::MergePreviewResponse& preview);

}  // namespace omnihub::client
