#include "services/api/stream/change_pump.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "services/api/stream/sse_format.h"

namespace omnihub::api::stream {

ChangePump::ChangePump(const ChangeHubOptions& options, bus::ChangeFeed& feed, bus::QueryTransport& hub,
                       base::Clock& clock)
    : options_(options), feed_(feed), hub_(hub), clock_(clock), buffer_(options.memory_changes) {}

void ChangePump::Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, ChangeFilter filter) {
  std::lock_guard lock(mu_);
  if (closed_) {
    stream->Close();
    return;
  }
  // Written here, before the stream is queued, so they come before anything the pump sends.
  stream->Write(SseStreamStart());
  std::optional<uint64_t> after;
  if (after_seq != 0) {
    after = after_seq;
  } else if (started_) {
    // "From now" is what the hub has seen when the client connected, not when the pump
    // gets to the stream: a change the client causes after its first bytes comes later.
    after = last_.load();
  }
  opened_.push_back({std::move(stream), after, std::move(filter)});
}

void ChangePump::Close() {
  std::vector<Opened> opened;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    opened.swap(opened_);
  }
  for (auto& o : opened) o.stream->Close();
  for (auto& s : streams_) s.Close();
  streams_.clear();
}

void ChangePump::Pump(std::chrono::milliseconds wait) {
  // Subscribe before reading where the hub is, so nothing committed in between is missed.
  if (!live_) live_ = feed_.Subscribe();
  if (!follower_ && !Start()) {
    live_->Next(wait);  // paces the retries; the follower starts from the log, so this is dropped
    return;
  }
  TakeInOpened();

  if (log_ahead_) {
    CatchUp();
  } else {
    kept_in_go_ = 0;
    const auto wait_now = behind_ ? std::chrono::milliseconds(0) : wait;
    Followed(follower_->Poll(*live_, wait_now, [this](const v1::ChangeNotification& c) { return Keep(c); }));
  }

  const int64_t now_us = clock_.MonotonicMicros();
  const int64_t heartbeat_us = int64_t{options_.heartbeat_s} * 1'000'000;
  behind_ = false;
  for (auto& s : streams_) {
    behind_ = Advance(s, now_us) || behind_;
    s.Heartbeat(now_us, heartbeat_us);
  }
  for (auto& s : streams_) {
    if (s.gone()) s.Close();
  }
  std::erase_if(streams_, [](const LiveStream& s) { return s.gone(); });
}

bool ChangePump::Start() {
  v1::QueryRequest req;
  req.mutable_stats();
  auto resp = hub_.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) {
    Warn(resp.status(), "reading the hub's last change");
    return false;
  }
  const uint64_t last = resp->stats().last_change_seq();
  follower_.emplace(hub_, clock_, last);
  buffer_.Reset(last);
  std::lock_guard lock(mu_);
  last_.store(last);
  started_ = true;
  spdlog::info("live changes: following the hub from change {}", last);
  return true;
}

void ChangePump::TakeInOpened() {
  std::vector<Opened> opened;
  {
    std::lock_guard lock(mu_);
    opened.swap(opened_);
  }
  const int64_t now_us = clock_.MonotonicMicros();
  for (auto& o : opened) {
    uint64_t last = follower_->last();
    const uint64_t after = o.after.value_or(last);
    // An id the hub has not reached may be one the feed has not brought yet: ask the log first.
    if (after > last) {
      CatchUp();
      last = follower_->last();
    }
    LiveStream& s = streams_.emplace_back(std::move(o.stream), std::move(o.filter), after, now_us);
    if (after > last) {
      s.Reset(kResetAheadOfHub, last, now_us);
    } else if (last - after > options_.replay_max) {
      s.Reset(kResetTooFarBehind, last, now_us);
    }
  }
}

void ChangePump::CatchUp() {
  kept_in_go_ = 0;
  Followed(follower_->CatchUp([this](const v1::ChangeNotification& c) { return Keep(c); }));
}

void ChangePump::Followed(const base::Status& status) {
  log_ahead_ = status.ok() && kept_in_go_ * 2 >= options_.memory_changes;
  if (!status.ok()) Warn(status, "following the change log");
}

bool ChangePump::Keep(const v1::ChangeNotification& change) {
  buffer_.Append(change);
  last_.store(change.change_seq());
  ++kept_in_go_;
  return kept_in_go_ * 2 < options_.memory_changes;
}

bool ChangePump::Advance(LiveStream& s, int64_t now_us) {
  while (!s.gone() && s.cursor() < buffer_.last_seq()) {
    if (const BufferedChange* b = buffer_.Find(s.cursor() + 1)) {
      s.Offer(b->change, &b->frame, now_us);
      continue;
    }
    // Older than the buffer holds: one page from the log per round, so that a stream far
    // behind does not hold up the others. When the hub cannot be asked, the next round waits
    // as usual before trying again.
    return ReplayFromLog(s, now_us) && !s.gone() && s.cursor() < buffer_.last_seq();
  }
  return false;
}

bool ChangePump::ReplayFromLog(LiveStream& s, int64_t now_us) {
  const uint64_t from = s.cursor() + 1;
  v1::QueryRequest req;
  req.mutable_change_log()->set_from_seq(from);
  req.mutable_change_log()->set_limit(
      static_cast<uint32_t>(std::min<uint64_t>(client::ChangeFollower::kLogPage, buffer_.first_seq() - from)));
  auto resp = hub_.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) {
    Warn(resp.status(), "replaying the change log to a stream");
    return false;
  }
  uint64_t next = from;
  for (const auto& c : resp->change_log().changes()) {
    if (c.change_seq() != next) break;  // never from a sane log; the reset below covers it
    s.Offer(c, nullptr, now_us);
    ++next;
  }
  if (next == from) s.Reset(kResetReplayUnavailable, buffer_.last_seq(), now_us);
  return true;
}

void ChangePump::Warn(const base::Status& status, const char* doing) {
  const int64_t now_us = clock_.MonotonicMicros();
  if (warned_at_us_.has_value() && now_us - *warned_at_us_ < kWarnEveryUs) return;
  warned_at_us_ = now_us;
  spdlog::warn("live changes: {} failed ({}); retrying", doing, status.ToString());
}

}  // namespace omnihub::api::stream
