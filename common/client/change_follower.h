// Following the hub's committed changes in order. Live notifications come from the change
// feed, which may drop some (slow joiner, high-water mark, a restart of the hub; see
// common/bus/query_transport.h). Every change carries the gap-free change_seq, so a gap -- or
// a quiet spell while a notification at the tail may have been dropped -- is filled from the
// change log (query.proto change_log) before anything later is handed on: the follower
// delivers each committed change exactly once, in change_seq order. omnihubctl watch and the
// API's live streams (services/api/stream/) follow the hub through it.
//
// Thread-safety: one thread (the one that reads the subscription).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/query_transport.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::client {

class ChangeFollower {
 public:
  // Takes the next change; false = deliver no more for now (the follower stays just after it).
  using Deliver = std::function<bool(const v1::ChangeNotification& change)>;

  // Changes read from the log per request.
  static constexpr uint32_t kLogPage = 1000;
  // Without a live notification for this long, the log is asked: a notification at the tail
  // may have been dropped, and a dropped tail shows no gap.
  static constexpr int64_t kQuietUs = 2'000'000;

  // `last`: the last change already had; the next one delivered is last + 1.
  ChangeFollower(bus::QueryTransport& hub, base::Clock& clock, uint64_t last);

  // Delivers every change after last() that the change log holds, until caught up or `deliver`
  // says stop. The hub's error when it cannot be asked (what was delivered stays delivered).
  base::Status CatchUp(const Deliver& deliver);
  // Waits up to `wait` for one live notification: the next change is delivered, one already
  // had is skipped, one beyond a gap makes a CatchUp. With none for kQuietUs, a CatchUp too.
  base::Status Poll(bus::ChangeSubscription& live, std::chrono::milliseconds wait, const Deliver& deliver);

  uint64_t last() const { return last_; }

 private:
  base::Status OnLive(const v1::ChangeNotification& change, const Deliver& deliver);

  bus::QueryTransport& hub_;
  base::Clock& clock_;
  uint64_t last_;
  int64_t quiet_since_us_;
};

}  // namespace omnihub::client
