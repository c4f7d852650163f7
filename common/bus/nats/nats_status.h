// How the NATS C client's failures become base::Status: a code that says what the caller
// does (Unavailable: try again later, the outbox keeps the entry; InvalidArgument: the
// request is wrong; FailedPrecondition: the server's state must change first) and a
// message that names the operation and what to check.
//
// Thread-safety: free functions; nats_GetLastError is per thread in the client library.
#pragma once

#include <string_view>

#include <nats/nats.h>

#include "common/base/status.h"

namespace omnihub::bus::nats {

// "No JetStream error": what a jsErrCode holds before a call sets it, and what plain NATS
// calls (no JetStream error to report) pass to NatsError.
inline constexpr jsErrCode kNoJsError = static_cast<jsErrCode>(0);

// `what` names the operation and its object ("publish to stream OMNI_P03"); `jerr` is the
// JetStream error code the call returned (0 when none).
base::Status NatsError(natsStatus status, jsErrCode jerr, std::string_view what);

}  // namespace omnihub::bus::nats
