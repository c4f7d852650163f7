// The change feed of cluster mode: no live notifications, so that a follower
// (client::ChangeFollower) reads every change from the change log instead, through the
// routed query transport. Why: the change_seq is part of every replica's deterministic state,
// so a follower that moves to another replica (its replica went away) goes on from the last
// sequence it delivered, without a gap or a duplicate; and the registry names no replica's
// change publisher. The cost: a change is seen when the follower next asks the log (after
// ChangeFollower::kQuietUs, 2 s, without a notification) rather than at once.
//
// Thread-safety: thread-safe; each subscription for one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "common/bus/query_transport.h"

namespace omnihub::bus {

class LogPolledChangeFeed final : public ChangeFeed {
 public:
  std::unique_ptr<ChangeSubscription> Subscribe() override {
    class Quiet final : public ChangeSubscription {
     public:
      std::optional<v1::ChangeNotification> Next(std::chrono::milliseconds wait) override {
        std::this_thread::sleep_for(wait);
        return std::nullopt;
      }
    };
    return std::make_unique<Quiet>();
  }
};

}  // namespace omnihub::bus
