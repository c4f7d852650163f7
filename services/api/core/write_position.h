// Where a write's read-your-writes token comes out (docs/cluster.md "Read-your-writes"): in
// cluster mode the API's command outbox publishes to the partition log, and a write learns the
// log position of what it appended once the log acknowledged it (bus::AppendedPositions). It
// answers the token in the header `Omni-Position: P:N` and, when its body is a JSON object, in
// its member "position"; a client passes it back as `Omni-Min-Position` (or `min_position`,
// omnihubctl --min-position) and reads only from a replica that has applied it.
//
// The rule (docs/api.md "Read-your-writes"): a write waits, once durable in the outbox, at most
// [cluster] publish_timeout_ms - the time one publish may take - for the log's acknowledgement.
// Known by then: its usual status, with the token. Not known (the log is slow or unreachable,
// or the write's entries went to more than one partition): 202 Accepted with its usual body
// and no token - the write is durable and will be applied, but no position can be promised.
// On one host (no log, no positions) nothing changes: the usual status, no token.
//
// Thread-safety: pure functions but AwaitWritePosition, which blocks its caller (a worker).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "common/bus/log_sender/appended_positions.h"
#include "common/bus/routing/read_position.h"
#include "common/config/config.h"
#include "common/http/types.h"

namespace omnihub::api {

inline constexpr char kWritePositionHeader[] = "Omni-Position";
inline constexpr char kWritePositionMember[] = "position";

// What a write learned of where it went.
struct WrittenPosition {
  bool logged = false;                        // the API writes to a partition log (cluster mode)
  std::optional<bus::ReadPosition> position;  // the log acknowledged it there
};

// Where the API's writes go: `positions` is the log publisher's (nullptr on one host), `wait`
// the longest a write waits for the log's acknowledgement.
struct WritePositions {
  const bus::AppendedPositions* positions = nullptr;
  std::chrono::milliseconds wait{0};

  // Cluster mode: [cluster] publish_timeout_ms; one host: no wait.
  static WritePositions FromConfig(const config::Config& config, const bus::AppendedPositions* positions);

  // The position of the outbox entries `sequences` (EventSink::Append's result), waiting at
  // most `wait`; {logged = false} on one host.
  WrittenPosition Await(std::span<const uint64_t> sequences) const;
};

// Adds `Omni-Position: P:N` to a write's response when the position is known.
void AttachWritePosition(http::HttpResponse& response, const std::optional<bus::ReadPosition>& written);

// The write's answer by the rule above: `status` and `body` on one host or with the token
// (header, and member "position" when `body` is an object); 202 without one in cluster mode.
http::HttpResponse WriteResponse(int status, nlohmann::json body, const WrittenPosition& written);

}  // namespace omnihub::api
