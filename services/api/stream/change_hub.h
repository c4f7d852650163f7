// The live side of the API (docs/api.md "Live updates"), one per change log (in cluster
// mode one per partition: partition_hubs.h): one thread follows the unifier's
// change feed (bus.changes), fills every gap from the change log (query.proto change_log) so
// that it holds each committed change exactly once and in change_seq order, keeps the newest
// changes in memory, and hands each one to every open server-sent-events stream.
//
// A stream starts after a sequence (Last-Event-ID, or 0 for "from now"): what it missed comes
// first (from memory, else from the change log), then the live changes, each exactly once and
// in order. A reconnect that missed more than api.sse_replay_max changes, or whose id is
// newer than the hub's last change (another hub, a restored backup), gets one `reset` event
// telling the client to reload, and continues live from there. An idle stream gets a
// heartbeat comment every api.sse_heartbeat_s seconds of the injected clock.
//
// Wire format of one change (the data is client::ChangeToJson):
//   id: <change_seq>\nevent: change\ndata: {"change_seq":...,"kind":"event_added",...}\n\n
// and of a reset:
//   id: <last change_seq>\nevent: reset\ndata: {"reason":"...","last_change_seq":N}\n\n
//
// Thread-safety: Open and Stop from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/base/env.h"
#include "common/bus/query_transport.h"
#include "common/http/types.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::api::stream {

// Which changes a stream wants: all, or those of one customer (the customer_id, and after a
// merge also the survivor's changes; a filter is called on the hub's thread).
using ChangeFilter = std::function<bool(const v1::ChangeNotification& change)>;

class ChangeHub {
 public:
  virtual ~ChangeHub() = default;

  // Starts sending on `stream`: the changes after `after_seq` that `filter` accepts (0 = only
  // those committed from now on). The hub writes until the client goes (a Write fails) or
  // Stop is called.
  virtual void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, ChangeFilter filter) = 0;
  // The highest change_seq the hub has seen (0 before the first).
  virtual uint64_t last_seq() const = 0;
  // Closes every stream and ends the thread. Idempotent.
  virtual void Stop() = 0;
};

struct ChangeHubOptions {
  uint32_t heartbeat_s = 15;       // api.sse_heartbeat_s
  uint32_t replay_max = 100000;    // api.sse_replay_max
  size_t memory_changes = 65536;   // newest changes kept in memory for reconnects
};

// The real hub: its thread subscribes to `feed` and reads gaps and catch-ups from `hub`'s
// change log. Every reference must outlive the returned hub.
std::unique_ptr<ChangeHub> StartChangeHub(const ChangeHubOptions& options, bus::ChangeFeed& feed,
                                          bus::QueryTransport& hub, base::Clock& clock);

}  // namespace omnihub::api::stream
