// CountedFlag: one owner's yes/no that a shared counter sums over all owners, e.g. each
// connection's "a request is in flight" summed into the server's count of requests in flight,
// which another thread reads to know when a drain is done. The owner sets its flag as its
// state changes; the count drops when the owner goes, whatever state it was in.
//
// Thread-safety: Set and on() from the owner's thread (or strand); the counter is atomic and
// may be read anywhere. The counter outlives the flag.
#pragma once

#include <atomic>
#include <cstddef>

namespace omnihub::base {

class CountedFlag {
 public:
  explicit CountedFlag(std::atomic<size_t>& count) : count_(count) {}
  ~CountedFlag() { Set(false); }
  CountedFlag(const CountedFlag&) = delete;
  CountedFlag& operator=(const CountedFlag&) = delete;

  void Set(bool on) {
    if (on == on_) return;
    on_ = on;
    if (on) {
      count_.fetch_add(1);
    } else {
      count_.fetch_sub(1);
    }
  }
  bool on() const { return on_; }

 private:
  std::atomic<size_t>& count_;
  bool on_ = false;
};

}  // namespace omnihub::base
