// The HttpResponseTarget behind every responder the server hands out, and the HttpStream it
// opens: both carry a handler's answer from whichever thread onto the connection's strand,
// through ServerShared::PostTo, and drop it quietly when the connection or the server is gone.
//
// Thread-safety: the target and the stream may be used from any thread.
#pragma once

#include <cstdint>
#include <memory>

#include "common/http/connection.h"
#include "common/http/types.h"

namespace omnihub::http::internal {

// The target for request number `seq` on `conn`.
std::unique_ptr<HttpResponseTarget> MakeConnectionTarget(std::shared_ptr<ServerShared> shared,
                                                         std::weak_ptr<HttpConnection> conn, uint64_t seq);

}  // namespace omnihub::http::internal
