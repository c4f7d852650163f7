// One duplicate suggestion as omnihubctl suggestions prints it and the API answers it
// (docs/suggestions.md).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json SuggestionToJson(const v1::Suggestion& s);

}  // namespace omnihub::client
