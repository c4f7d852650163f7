// The real ChangeFeed: a ZeroMQ SUB socket on the unifier's change publisher
// (config bus.changes), one per subscription.
//
// Thread-safety: Subscribe from any thread that owns the feed; each subscription is
// for one thread (it owns a socket).
#pragma once

#include <memory>
#include <string>

#include <zmq.hpp>

#include "common/bus/query_transport.h"

namespace omnihub::bus {

class ZmqChangeFeed final : public ChangeFeed {
 public:
  // `ctx` must outlive the feed and its subscriptions.
  ZmqChangeFeed(zmq::context_t& ctx, std::string endpoint) : ctx_(ctx), endpoint_(std::move(endpoint)) {}

  std::unique_ptr<ChangeSubscription> Subscribe() override;

 private:
  zmq::context_t& ctx_;
  std::string endpoint_;
};

}  // namespace omnihub::bus
