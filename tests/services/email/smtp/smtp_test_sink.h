// Test MessageSink for the SMTP session and server tests: records every Deliver call and answers
// it with a chosen status, immediately, from a worker thread (as a real sink does), or only when
// the test releases it.
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/base/status.h"
#include "services/email/smtp/smtp_session.h"

namespace omnihub::email {

class RecordingSink final : public MessageSink {
 public:
  enum class Mode {
    kInline,    // call done inside Deliver
    kWorker,    // call done from a worker thread
    kHold,      // keep done until Release()
  };
  struct Delivery {
    SmtpEnvelope envelope;
    std::string message;
  };

  explicit RecordingSink(Mode mode = Mode::kInline) : mode_(mode) {
    if (mode_ == Mode::kWorker) worker_ = std::thread([this] { Work(); });
  }
  ~RecordingSink() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  // The status every later delivery is answered with (OK by default).
  void set_result(base::Status status) {
    std::lock_guard lock(mu_);
    result_ = std::move(status);
  }

  void Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) override {
    std::unique_lock lock(mu_);
    deliveries_.push_back({std::move(envelope), std::move(message)});
    base::Status result = result_;
    cv_.notify_all();
    switch (mode_) {
      case Mode::kInline:
        lock.unlock();
        done(std::move(result));
        return;
      case Mode::kWorker:
      case Mode::kHold:
        pending_.push_back(std::move(done));
        return;
    }
  }

  // kHold: answers every held delivery with `status`; returns how many there were.
  size_t Release(base::Status status) {
    std::vector<std::function<void(base::Status)>> held;
    {
      std::lock_guard lock(mu_);
      held.assign(pending_.begin(), pending_.end());
      pending_.clear();
    }
    for (auto& done : held) done(status);
    return held.size();
  }

  // kHold: the held callbacks themselves (to call late, twice, ...).
  std::vector<std::function<void(base::Status)>> TakeHeld() {
    std::lock_guard lock(mu_);
    std::vector<std::function<void(base::Status)>> held(pending_.begin(), pending_.end());
    pending_.clear();
    return held;
  }

  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return deliveries_.size();
  }
  // Waits until at least `n` deliveries were made; false on timeout.
  bool WaitFor(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return deliveries_.size() >= n; });
  }

 private:
  void Work() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      auto done = std::move(pending_.front());
      pending_.pop_front();
      base::Status result = result_;
      lock.unlock();
      done(std::move(result));
      lock.lock();
    }
  }

  const Mode mode_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  base::Status result_;                                     // guarded by mu_
  std::vector<Delivery> deliveries_;                  // guarded by mu_
  std::deque<std::function<void(base::Status)>> pending_;  // guarded by mu_
  bool stopping_ = false;                             // guarded by mu_
  std::thread worker_;
};

}  // namespace omnihub::email
