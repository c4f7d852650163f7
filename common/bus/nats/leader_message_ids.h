// Which message a stream's leader holds at each of a run of positions, by its
// Nats-Msg-Id.
//
// A consumer reads its own server's copy of the stream, and NATS 2.9 servers
// have been seen to serve, after a leader was cut off and came back, frames at
// positions where the stream as its leader holds it has others
// (docs/cluster.md, "What the chaos test found"). The leader's copy is the one
// every replica must apply, so the replica reader asks the leader about every
// frame a consumer delivered before it hands any out. STREAM.MSG.GET is always
// answered by the stream's leader; the requests of one run are sent together
// (up to kMaxInFlight unanswered) so that a run costs about one round trip, not
// one per position.
//
// Thread-safety: free functions; the connection is the NATS client's, which is
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus::nats {

// The message id held at one position; nullopt when the position was deleted
// (or is past the stream's end). "" for a message without a Nats-Msg-Id header.
using HeldMessageId = std::optional<std::string>;

// Asks the leader of one stream which message it holds at runs of positions. The replies
// come on one subscription, made on first use and kept for the object's life: making and
// destroying one per lookup, several times a second, raced with the NATS client's reader
// thread (libnats 3.4.1 aborted in natsConn_processMsg in the chaos test).
//
// Thread-safety: none; one thread asks (the replica reader's).
class LeaderMessageIds {
 public:
  // `connection` must outlive this object.
  LeaderMessageIds(NatsConnection& connection, std::string stream);

  // The Nats-Msg-Id of each position first..last (inclusive), in order, as the leader holds
  // them. Unavailable when the leader does not answer in the connection's request timeout (none
  // is elected, the connection is down): the caller reads again later.
  base::Result<std::vector<HeldMessageId>> At(uint64_t first, uint64_t last);

 private:
  base::Status EnsureReplies();

  NatsConnection& connection_;
  const std::string stream_;
  std::string inbox_;
  NatsPtr<natsSubscription> replies_;
  // Numbers each At, in its replies' subjects, so that a late reply to an earlier one is
  // told apart (At returns early on an error, with requests unanswered).
  uint64_t lookup_ = 0;
};

// The first of `records` (read in order from one consumer) whose message id is
// not the one `held` names at its position, where held[i] is what the leader
// holds at records.front().position + i; nullptr when every record is the
// leader's.
const LogRecord* FirstRecordNotHeld(const std::vector<LogRecord>& records, const std::vector<HeldMessageId>& held);

// One STREAM.MSG.GET reply (JetStream's JSON: a "message" with base64 "hdrs",
// or an "error" with its "err_code"), as the message id it names. Exposed for
// its unit test.
base::Result<HeldMessageId> ParseMessageGetReply(std::string_view json);

}  // namespace omnihub::bus::nats
