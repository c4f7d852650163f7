// The change hub's work, one round at a time, without a thread of its own: ChangeHub's
// thread (change_hub.cc) calls Pump in a loop, tests call it directly with fakes and a
// manual clock. A round
//   1. starts following the hub if it has not yet (subscribes, reads stats.last_change_seq),
//   2. takes in the streams opened since the last round (sending a reset where the client
//      cannot be caught up),
//   3. waits for the next live change (client::ChangeFollower: gaps and quiet spells are
//      filled from the change log) and keeps it in the ChangeBuffer, its frame formatted once,
//   4. brings every stream up to the newest change: from the buffer, or -- one page of the
//      change log per stream and round -- for a stream behind what the buffer holds,
//   5. sends heartbeats to idle streams and drops the streams whose client has gone.
//
// Thread-safety: Open and last_seq from any thread; Pump, stream_count and Close from one
// thread at a time (the hub's, or another once the hub's has ended).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/base/env.h"
#include "common/bus/query_transport.h"
#include "common/client/change_follower.h"
#include "services/api/stream/change_buffer.h"
#include "services/api/stream/change_hub.h"
#include "services/api/stream/live_stream.h"

namespace omnihub::api::stream {

// Why a stream got a reset (the reset event's "reason").
inline constexpr char kResetTooFarBehind[] = "too_far_behind";        // > api.sse_replay_max missed
inline constexpr char kResetAheadOfHub[] = "ahead_of_hub";            // an id the hub has not reached
inline constexpr char kResetReplayUnavailable[] = "replay_unavailable";  // the change log lacks them

class ChangePump {
 public:
  // Every reference must outlive the pump.
  ChangePump(const ChangeHubOptions& options, bus::ChangeFeed& feed, bus::QueryTransport& hub, base::Clock& clock);

  // ChangeHub::Open: writes the stream's first bytes now, and queues it for the next round.
  // After Close, the stream is closed at once.
  void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, ChangeFilter filter);
  // ChangeHub::last_seq.
  uint64_t last_seq() const { return last_.load(); }

  // One round (see above); waits up to `wait` for a live change, less when a stream is
  // behind.
  void Pump(std::chrono::milliseconds wait);
  // Closes every stream, served or queued; later Opens close theirs at once. Idempotent.
  void Close();

  // Streams being served (not counting those queued). Pump's thread only.
  size_t stream_count() const { return streams_.size(); }

 private:
  struct Opened {
    std::shared_ptr<http::HttpStream> stream;
    std::optional<uint64_t> after;  // nullopt: from whatever the hub has when it is taken in
    ChangeFilter filter;
  };

  bool Start();
  void TakeInOpened();
  // Follows the change log until caught up (or half the buffer's worth).
  void CatchUp();
  // After the follower was asked: whether it stopped before the log's end, or why it failed.
  void Followed(const base::Status& status);
  // Keeps a change the follower delivers; false once half the buffer came in one go, so
  // the streams are served from memory before the buffer forgets it.
  bool Keep(const v1::ChangeNotification& change);
  // Brings `s` up to the newest change; true if it is still behind and can go on at once.
  bool Advance(LiveStream& s, int64_t now_us);
  // One page of the change log to `s`; false when the hub could not be asked.
  bool ReplayFromLog(LiveStream& s, int64_t now_us);
  // Logs a failure to reach the hub, at most once per kWarnEveryUs.
  void Warn(const base::Status& status, const char* doing);
  static constexpr int64_t kWarnEveryUs = 30'000'000;

  const ChangeHubOptions options_;
  bus::ChangeFeed& feed_;
  bus::QueryTransport& hub_;
  base::Clock& clock_;
  std::atomic<uint64_t> last_{0};

  std::mutex mu_;
  std::vector<Opened> opened_;  // guarded by mu_
  bool started_ = false;        // guarded by mu_: last_ is the hub's
  bool closed_ = false;         // guarded by mu_

  // The pump's thread only.
  std::unique_ptr<bus::ChangeSubscription> live_;
  std::optional<client::ChangeFollower> follower_;
  ChangeBuffer buffer_;
  std::vector<LiveStream> streams_;
  size_t kept_in_go_ = 0;       // changes Keep took since the follower was asked
  bool log_ahead_ = false;      // the follower stopped before the log's end
  bool behind_ = false;         // a stream was left behind in the last round
  std::optional<int64_t> warned_at_us_;  // a hub that stays away is logged now and then
};

}  // namespace omnihub::api::stream
