// Which message a stream's leader holds at each of a run of positions, by its Nats-Msg-Id.
//
// A consumer reads its own server's copy of the stream, and NATS 2.9 servers have been seen
// to serve, after a leader was cut off or stopped and came back, frames at positions where
// the stream as its leader holds it has others (docs/cluster.md, "Reading a partition"). The
// replica reader asks the leader about every frame a consumer delivered before it hands any
// out. STREAM.MSG.GET is always answered by the stream's leader; the requests of one run are
// sent together (jetstream_requests.h).
//
// Thread-safety: none; one thread asks (the replica reader's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/bus/nats/jetstream_requests.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus::nats {

// The message id held at one position; nullopt when the position was deleted (or is past
// the stream's end). "" for a message without a Nats-Msg-Id header.
using HeldMessageId = std::optional<std::string>;

class LeaderMessageIds {
 public:
  // `connection` must outlive this object.
  LeaderMessageIds(NatsConnection& connection, std::string stream);

  // The Nats-Msg-Id of each position first..last (inclusive), in order, as the leader holds
  // them. Unavailable when the leader does not answer in the connection's request timeout (none
  // is elected, the connection is down): the caller reads again later.
  base::Result<std::vector<HeldMessageId>> At(uint64_t first, uint64_t last);

 private:
  const std::string stream_;
  JetStreamRequests requests_;
};

// The first of `records` (read in order from one consumer) whose message id is not the one
// `held` names at its position, where held[i] is what the leader holds at
// records.front().position + i; nullptr when every record is the leader's.
const LogRecord* FirstRecordNotHeld(const std::vector<LogRecord>& records, const std::vector<HeldMessageId>& held);

}  // namespace omnihub::bus::nats
