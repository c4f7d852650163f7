// RequestAdmission: the HttpServer's count of requests in flight and its drain flag in one
// atomic word, so that "is this request served?" and "is it counted?" are decided together.
// A request counted before BeginDrain is served (the drain waits for it); one counted after is
// refused. With a separate flag and counter a request could be counted first and refused after
// (the drain had begun in between): a request whose bytes had begun to arrive got a 503 it
// should not have, or, checked the other way round, was served without the drain waiting for
// it and was cut off by Stop.
//
// AdmissionSlot is one connection's place in the count: at most one request at a time,
// released when the connection is done with it or goes.
//
// Thread-safety: RequestAdmission from any thread. An AdmissionSlot from its owner's strand;
// the RequestAdmission outlives it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace omnihub::http::internal {

class RequestAdmission {
 public:
  // Counts one request as begun: true if it began before BeginDrain (serve it), false if after
  // (refuse it; it still counts until Leave, while its refusal is written).
  bool Enter() { return (state_.fetch_add(1) & kDraining) == 0; }
  void Leave() { state_.fetch_sub(1); }

  // From now on Enter() refuses. True the first time only.
  bool BeginDrain() { return (state_.fetch_or(kDraining) & kDraining) == 0; }
  bool draining() const { return (state_.load() & kDraining) != 0; }
  // Requests entered and not yet left.
  size_t in_flight() const { return static_cast<size_t>(state_.load() & ~kDraining); }

 private:
  static constexpr uint64_t kDraining = uint64_t{1} << 63;
  std::atomic<uint64_t> state_{0};  // kDraining | requests in flight
};

class AdmissionSlot {
 public:
  explicit AdmissionSlot(RequestAdmission& admission) : admission_(admission) {}
  ~AdmissionSlot() { Release(); }
  AdmissionSlot(const AdmissionSlot&) = delete;
  AdmissionSlot& operator=(const AdmissionSlot&) = delete;

  // Counts the connection's next request (once until Release); whether it is served, as
  // RequestAdmission::Enter decided when it was counted.
  bool Take() {
    if (!held_) {
      held_ = true;
      admitted_ = admission_.Enter();
    }
    return admitted_;
  }
  void Release() {
    if (!held_) return;
    held_ = false;
    admission_.Leave();
  }

 private:
  RequestAdmission& admission_;
  bool held_ = false;
  bool admitted_ = true;
};

}  // namespace omnihub::http::internal
