#include "common/client/command_rejection.h"

namespace omnihub::client {

base::Status RejectionOf(const v1::CommandResult& result) {
  if (result.applied()) return base::Status::Ok();
  return base::Status(base::StatusCodeFromName(result.error_code()), result.error_message());
}

}  // namespace omnihub::client
