// One duplicate suggestion as omnihubctl suggestions prints it and the API answers it
// (docs/suggestions.md), and what dismissing one answers.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json SuggestionToJson(const v1::Suggestion& s);
// An applied dismissal: {suggestion_id, state "dismissed", command_id, change_seq}.
nlohmann::json DismissalToJson(const std::string& suggestion_id, const v1::CommandResult& result);

}  // namespace omnihub::client
