#include "common/client/change_follower.h"

namespace omnihub::client {

ChangeFollower::ChangeFollower(bus::QueryTransport& hub, base::Clock& clock, uint64_t last)
    : hub_(hub), clock_(clock), last_(last), quiet_since_us_(clock.MonotonicMicros()) {}

base::Status ChangeFollower::CatchUp(const Deliver& deliver) {
  while (true) {
    v1::QueryRequest req;
    req.mutable_change_log()->set_from_seq(last_ + 1);
    req.mutable_change_log()->set_limit(kLogPage);
    auto resp = hub_.Call(req, bus::kQueryTimeout);
    if (!resp.ok()) return resp.status();
    const auto& changes = resp->change_log().changes();
    if (changes.empty()) return base::Status::Ok();
    for (const auto& c : changes) {
      // The log answers from from_seq on, in order; anything else would break exactly-once.
      if (c.change_seq() != last_ + 1) {
        return base::Status::Corruption("the change log answered change " + std::to_string(c.change_seq()) +
                                        " when " + std::to_string(last_ + 1) + " was asked for");
      }
      last_ = c.change_seq();
      if (!deliver(c)) return base::Status::Ok();
    }
  }
}

base::Status ChangeFollower::Poll(bus::ChangeSubscription& live, std::chrono::milliseconds wait,
                                  const Deliver& deliver) {
  if (auto change = live.Next(wait)) {
    quiet_since_us_ = clock_.MonotonicMicros();
    return OnLive(*change, deliver);
  }
  if (clock_.MonotonicMicros() - quiet_since_us_ <= kQuietUs) return base::Status::Ok();
  quiet_since_us_ = clock_.MonotonicMicros();
  return CatchUp(deliver);
}

base::Status ChangeFollower::OnLive(const v1::ChangeNotification& change, const Deliver& deliver) {
  if (change.change_seq() <= last_) return base::Status::Ok();
  if (change.change_seq() > last_ + 1) return CatchUp(deliver);  // missed some: the log has them
  last_ = change.change_seq();
  deliver(change);
  return base::Status::Ok();
}

}  // namespace omnihub::client
