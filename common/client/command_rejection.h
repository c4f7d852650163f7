// How a command the unifier answered (command.proto CommandResult) reads as a status, for
// omnihubctl's exit codes and the API's HTTP errors alike.
//
// Thread-safety: pure function.
#pragma once

#include "common/base/status.h"
#include "omnihub/v1/command.pb.h"

namespace omnihub::client {

// A rejected result as a status with its code and message (NotFound, InvalidArgument,
// FailedPrecondition ...); Ok for an applied one.
base::Status RejectionOf(const v1::CommandResult& result);

}  // namespace omnihub::client
