// The identity graph's changes as omnihubctl (customer link|unlink|merge|split) and the API
// (POST /customers/{id}/identities, DELETE /identities/{identity}, POST /merges,
// POST /merges/{merge_id}/split) both send them: the commands built from parsed arguments,
// the checks on an IDENTITY or MERGE_ID argument, and the applied result as the JSON both print
// (docs/cli.md "customer link", docs/api.md "Changing the identity graph").
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/identity.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// The identity a parsed argument names by itself: InvalidArgument when it is a customer id or a
// handle (which names whoever has it now). `label` names the argument in the message
// ("IDENTITY", "identity"), `arg` is how it was given.
base::Result<v1::Identity> IdentityOfSelector(const v1::CustomerSelector& selector, std::string_view label,
                                              std::string_view arg);
// A merge id as the unifier names it (UUID text, lower case); InvalidArgument naming `label`.
base::Result<std::string> ParseMergeId(std::string_view arg, std::string_view label);

v1::Command LinkCommand(v1::CustomerSelector customer, v1::Identity identity, std::string reason);
v1::Command UnlinkCommand(v1::Identity identity, std::string reason);
v1::Command MergeCommand(v1::CustomerSelector survivor, v1::CustomerSelector other, std::string reason);
// `merge_id` as ParseMergeId returned it.
v1::Command SplitCommand(std::string merge_id, std::string reason);
// The query for what a merge would do (writes nothing).
v1::QueryRequest MergePreviewQuery(v1::CustomerSelector survivor, v1::CustomerSelector other);

// An applied graph command's result: link and unlink {customer_id}; merge {merge_id,
// customer_id}; split {merge_id, customer_ids}.
nlohmann::json GraphResultToJson(const v1::Command& command, const v1::CommandResult& result);

}  // namespace omnihub::client
