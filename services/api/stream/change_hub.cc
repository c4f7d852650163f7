#include "services/api/stream/change_hub.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "services/api/stream/change_pump.h"

namespace omnihub::api::stream {
namespace {

// How long one round waits for a live change: also how soon a new stream is taken in when
// nothing changes, and the granularity of heartbeats.
constexpr std::chrono::milliseconds kRoundWait{50};

// A ChangePump run round after round by a thread of its own.
class ThreadedChangeHub final : public ChangeHub {
 public:
  ThreadedChangeHub(const ChangeHubOptions& options, bus::ChangeFeed& feed, bus::QueryTransport& hub,
                    base::Clock& clock)
      : pump_(options, feed, hub, clock), thread_([this] { Run(); }) {}
  ~ThreadedChangeHub() override { Stop(); }

  void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, ChangeFilter filter) override {
    pump_.Open(std::move(stream), after_seq, std::move(filter));
  }
  uint64_t last_seq() const override { return pump_.last_seq(); }

  void Stop() override {
    std::lock_guard lock(stop_mu_);
    if (stopping_.exchange(true)) return;
    thread_.join();
    pump_.Close();
  }

 private:
  void Run() {
    while (!stopping_.load()) pump_.Pump(kRoundWait);
  }

  ChangePump pump_;
  std::mutex stop_mu_;  // a second Stop waits for the first
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts once the pump exists
};

}  // namespace

std::unique_ptr<ChangeHub> StartChangeHub(const ChangeHubOptions& options, bus::ChangeFeed& feed,
                                          bus::QueryTransport& hub, base::Clock& clock) {
  return std::make_unique<ThreadedChangeHub>(options, feed, hub, clock);
}

}  // namespace omnihub::api::stream
