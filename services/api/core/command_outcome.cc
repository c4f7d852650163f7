#include "services/api/core/command_outcome.h"

#include "common/client/command_rejection.h"
#include "services/api/core/api_response.h"

namespace omnihub::api {
namespace {

// The unifier's messages begin with the command field they are about ("split.merge_id: no
// merge with id ..."), else "" (a message about the whole command).
std::string_view FieldOf(std::string_view message, CommandFieldNames fields) {
  for (const auto& [command_field, request_field] : fields) {
    if (message.starts_with(command_field)) return request_field;
  }
  return "";
}

}  // namespace

Parsed<v1::CommandResult> AppliedResult(const base::Result<v1::CommandResult>& result, CommandFieldNames fields) {
  if (!result.ok()) return StatusResponse(result.status());
  const base::Status rejection = client::RejectionOf(*result);
  if (!rejection.ok()) return StatusResponse(rejection, FieldOf(rejection.message(), fields));
  return *result;
}

}  // namespace omnihub::api
