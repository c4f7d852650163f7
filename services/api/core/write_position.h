// Where a write's read-your-writes token comes out (docs/cluster.md "Query routing and
// failover"): in cluster mode, once the API's command outbox publishes to the partition log,
// a write learns the log position of what it wrote and answers it in the header
// `Omni-Position: P:N`; a client passes it back as `Omni-Min-Position` (or `min_position`,
// omnihubctl --min-position) and reads only from a replica that has applied it. This version
// still sends over the ZeroMQ bus, which has no positions: the endpoints that write call
// AttachWritePosition with nullopt, and the outbox's log sender plugs in here.
//
// Thread-safety: pure function.
#pragma once

#include <optional>

#include "common/bus/routing/read_position.h"
#include "common/http/types.h"

namespace omnihub::api {

inline constexpr char kWritePositionHeader[] = "Omni-Position";

// Adds `Omni-Position: P:N` to a write's response when the position is known.
void AttachWritePosition(http::HttpResponse& response, const std::optional<bus::ReadPosition>& written);

}  // namespace omnihub::api
