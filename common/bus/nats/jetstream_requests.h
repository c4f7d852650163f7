// JetStream API requests sent together on one connection, their replies gathered in order:
// a run of them costs about one round trip rather than one per request. The replies come on
// one subscription, made on first use and kept for the object's life: making and destroying
// one per batch, several times a second, raced with the NATS client's reader thread
// (libnats 3.4.1 aborted in natsConn_processMsg in the chaos test).
//
// Thread-safety: none; one thread sends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"

namespace omnihub::bus::nats {

class JetStreamRequests {
 public:
  // `connection` must outlive this object.
  explicit JetStreamRequests(NatsConnection& connection) : connection_(connection) {}

  // Sends each of `bodies` to `subject` (at most kMaxInFlight unanswered at a time) and returns
  // the replies' payloads, in the order of `bodies`. Unavailable, its message starting with
  // `what`, when one is not answered in the connection's request timeout or nothing serves the
  // subject (no leader is elected, the connection is down): the caller tries again later.
  base::Result<std::vector<std::string>> Send(const std::string& subject, const std::vector<std::string>& bodies,
                                              std::string_view what);

  // Unanswered requests at a time: enough to hide the round trip, few enough that a leader
  // busy with appends is not handed thousands at once.
  static constexpr uint64_t kMaxInFlight = 256;

 private:
  base::Status EnsureReplies();

  NatsConnection& connection_;
  std::string inbox_;
  NatsPtr<natsSubscription> replies_;
  // Numbers each Send, in its replies' subjects, so that a late reply to an earlier one is
  // told apart (Send returns early on an error, with requests unanswered).
  uint64_t batch_ = 0;
};

}  // namespace omnihub::bus::nats
