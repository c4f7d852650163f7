// What the change hub's tests run against: a unifier made of fakes. Commit appends to a
// change log (answered to stats and change_log queries as the real one pages it) and
// publishes the change to every subscription, unless the test drops it on the way, as the
// real feed may. A subscription with nothing to yield lets its wait pass on the manual
// clock, as a quiet hub would. CapturedStream collects what a live stream is sent and parses
// it back into events.
#pragma once

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/env.h"
#include "common/bus/query_transport.h"
#include "common/http/types.h"

namespace omnihub::api::stream::testing {

inline constexpr int64_t kCommittedAtUs = 1'790'000'000'000'000;

class FakeUnifier final : public bus::QueryTransport, public bus::ChangeFeed {
 public:
  explicit FakeUnifier(base::ManualClock& clock) : clock_(clock) {}

  // Appends `change` to the log under the next change_seq and publishes it (unless dropped).
  uint64_t Commit(v1::ChangeNotification change, bool publish = true) {
    change.set_change_seq(log_.size() + 1);
    if (change.committed_at_us() == 0) change.set_committed_at_us(kCommittedAtUs);
    log_.push_back(change);
    if (publish) {
      for (auto* s : subscriptions_) s->live.push_back(change);
    }
    return change.change_seq();
  }
  // A change of one customer's timeline.
  uint64_t CommitEvent(const std::string& customer_id, bool publish = true) {
    v1::ChangeNotification c;
    c.set_kind(v1::EVENT_ADDED);
    c.set_customer_id(customer_id);
    c.set_channel(v1::SMS);
    c.set_occurred_at_us(kCommittedAtUs);
    return Commit(c, publish);
  }
  uint64_t last() const { return log_.size(); }

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds) override {
    if (unavailable) return base::Status::Unavailable("the fake hub is down");
    v1::QueryResponse resp;
    if (request.has_stats()) {
      resp.mutable_stats()->set_last_change_seq(last());
    } else if (request.has_change_log()) {
      change_log_requests.push_back(request.change_log());
      const uint64_t from = std::max<uint64_t>(request.change_log().from_seq(), 1);
      const uint32_t limit = request.change_log().limit() == 0 ? 50 : std::min(request.change_log().limit(), 1000u);
      auto* out = resp.mutable_change_log();
      for (uint64_t seq = from; seq <= last() && out->changes_size() < static_cast<int>(limit); ++seq) {
        *out->add_changes() = log_[seq - 1];
      }
      out->set_last_change_seq(last());
    } else {
      ADD_FAILURE() << "unexpected request: " << request.ShortDebugString();
      return base::Status::Unavailable("the fake hub does not answer that");
    }
    return resp;
  }

  std::unique_ptr<bus::ChangeSubscription> Subscribe() override { return std::make_unique<Subscription>(*this); }

  bool unavailable = false;
  std::vector<v1::ChangeLogRequest> change_log_requests;

 private:
  class Subscription final : public bus::ChangeSubscription {
   public:
    explicit Subscription(FakeUnifier& hub) : hub_(hub) { hub_.subscriptions_.push_back(this); }
    ~Subscription() override { std::erase(hub_.subscriptions_, this); }
    std::optional<v1::ChangeNotification> Next(std::chrono::milliseconds wait) override {
      if (live.empty()) {
        hub_.clock_.Advance(std::chrono::microseconds(wait).count());
        return std::nullopt;
      }
      auto c = std::move(live.front());
      live.pop_front();
      return c;
    }
    std::deque<v1::ChangeNotification> live;

   private:
    FakeUnifier& hub_;
  };

  base::ManualClock& clock_;
  std::vector<v1::ChangeNotification> log_;  // change_seq n at n - 1
  std::vector<Subscription*> subscriptions_;
};

// One server-sent event as a client reads it; a comment-only block has event "" and the
// comment in `comment`.
struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
  std::string comment;
  std::optional<int> retry;
};

class CapturedStream final : public http::HttpStream {
 public:
  bool Write(std::string data) override {
    if (closed || refuse) return false;
    body += data;
    ++writes;
    return true;
  }
  void Close() override { closed = true; }

  // The body as events, split at blank lines.
  std::vector<SseEvent> Events() const {
    std::vector<SseEvent> events;
    size_t pos = 0;
    while (true) {
      const size_t end = body.find("\n\n", pos);
      if (end == std::string::npos) break;
      SseEvent e;
      size_t line_start = pos;
      while (line_start < end) {
        size_t line_end = body.find('\n', line_start);
        if (line_end == std::string::npos || line_end > end) line_end = end;
        const std::string line = body.substr(line_start, line_end - line_start);
        if (line.starts_with(": ")) e.comment = line.substr(2);
        else if (line.starts_with("id: ")) e.id = line.substr(4);
        else if (line.starts_with("event: ")) e.event = line.substr(7);
        else if (line.starts_with("data: ")) e.data = line.substr(6);
        else if (line.starts_with("retry: ")) e.retry = std::stoi(line.substr(7));
        else ADD_FAILURE() << "not a server-sent event line: " << line;
        line_start = line_end + 1;
      }
      events.push_back(e);
      pos = end + 2;
    }
    EXPECT_EQ(pos, body.size()) << "a partial event at the end: " << body.substr(pos);
    return events;
  }
  // The ids of the `change` events, in order.
  std::vector<uint64_t> ChangeSeqs() const {
    std::vector<uint64_t> seqs;
    for (const auto& e : Events()) {
      if (e.event == "change") seqs.push_back(std::stoull(e.id));
    }
    return seqs;
  }

  std::string body;
  int writes = 0;
  bool refuse = false;  // Write fails, as for a client gone or too slow
  bool closed = false;
};

}  // namespace omnihub::api::stream::testing
