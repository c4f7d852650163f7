// How long a listener waits before accepting again after accept() failed. The usual cause is
// running out of file descriptors, which only time (connections closing) cures: retrying at
// once would spin on the error, retrying at a fixed pace would flood the log while the
// shortage lasts. So the delay doubles with each consecutive failure, from kFirst up to kMax,
// and a successful accept starts over.
//
// Thread-safety: none; used on the listener's executor.
#pragma once

#include <algorithm>
#include <chrono>

namespace omnihub::net {

class AcceptBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kMax{3200};

  // The delay before the next attempt, after one more failure.
  std::chrono::milliseconds Failed() {
    const std::chrono::milliseconds delay = next_;
    next_ = std::min(next_ * 2, kMax);
    return delay;
  }
  void Succeeded() { next_ = kFirst; }

 private:
  std::chrono::milliseconds next_ = kFirst;
};

}  // namespace omnihub::net
