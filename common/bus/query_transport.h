// The read side of the hub as its clients see it: one-shot queries (query.proto's
// QueryRequest / QueryResponse, docs/query-protocol.md) and the live change feed
// (bus.proto's ChangeNotification on the unifier's PUB socket). Clients such as
// omnihubctl and the HTTP API take these interfaces, so their logic is tested with
// fakes that answer canned responses; QueryClient and ZmqChangeFeed are the real ones.
//
// Thread-safety: an implementation says; the ZeroMQ ones are for one thread each.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::bus {

// How long a client waits for an answer before reporting the hub unavailable: long
// enough for a busy unifier, short enough that a stopped one is noticed.
inline constexpr std::chrono::milliseconds kQueryTimeout{5000};
// For answers that may be large or slow to gather (an export page, a whole blob).
inline constexpr std::chrono::milliseconds kBulkQueryTimeout{30000};

class QueryTransport {
 public:
  virtual ~QueryTransport() = default;

  // Sends one request and waits up to `timeout` for its response. Errors:
  // Unavailable when the hub does not answer in time; the server's error (with its
  // code) when it answers with one; Corruption for an unreadable answer.
  virtual base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) = 0;
};

// One subscription to the change feed, from the moment it was made. Notifications
// may be dropped (slow joiner, high-water mark, a restart of the hub): a client
// fills gaps from the change log, using the gap-free change_seq.
class ChangeSubscription {
 public:
  virtual ~ChangeSubscription() = default;

  // The next notification, or nullopt when none arrives within `wait`. Unreadable
  // notifications are skipped.
  virtual std::optional<v1::ChangeNotification> Next(std::chrono::milliseconds wait) = 0;
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // Starts a subscription; it sees what is published after this call returns
  // (modulo drops, see ChangeSubscription).
  virtual std::unique_ptr<ChangeSubscription> Subscribe() = 0;
};

}  // namespace omnihub::bus
