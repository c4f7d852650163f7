// A read-your-writes token: "<partition>:<position>", the position in a partition's log
// that a read must see applied (a write's position once the API's outbox publishes to the
// log). A replica that has applied less is skipped (routed_query_transport.h).
// omnihubctl --min-position, the API's Omni-Min-Position header and min_position parameter
// all parse it here (docs/cluster.md, "Query routing and failover").
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bus {

struct ReadPosition {
  uint32_t partition = 0;
  uint64_t position = 0;  // a JetStream stream sequence (1, 2, ...)
};

// "P:N" with decimal P and N; InvalidArgument naming the expected form otherwise.
base::Result<ReadPosition> ParseReadPosition(std::string_view text);
std::string FormatReadPosition(const ReadPosition& position);

}  // namespace omnihub::bus
