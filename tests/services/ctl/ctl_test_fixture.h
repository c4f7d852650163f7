// What omnihubctl's command tests share: a hub made of fakes (a query transport that
// answers canned responses and records the requests, a change feed that yields scripted
// notifications, a publisher that appends to a real outbox and acknowledges when told),
// a manual clock, and captured output. No socket is opened.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/env.h"
#include "common/bus/query_transport.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/event_publisher.h"
#include "services/ctl/inject_config.h"
#include "services/ctl/reparsers.h"
#include "services/email/email_config.h"
#include "tests/support/fake_query_transport.h"

namespace omnihub::ctl::testing {

using omnihub::testing::FakeQueryTransport;

// Yields the scripted notifications, one per Next; once they are used up, each Next
// lets `wait` pass on the manual clock and yields nothing, as a quiet hub would.
class FakeChangeFeed final : public bus::ChangeFeed {
 public:
  explicit FakeChangeFeed(base::ManualClock& clock) : clock_(clock) {}

  void Push(v1::ChangeNotification change) { live_.push_back(std::move(change)); }

  std::unique_ptr<bus::ChangeSubscription> Subscribe() override {
    ++subscriptions;
    return std::make_unique<Subscription>(*this);
  }

  int subscriptions = 0;
  int quiet_waits = 0;

 private:
  class Subscription final : public bus::ChangeSubscription {
   public:
    explicit Subscription(FakeChangeFeed& feed) : feed_(feed) {}
    std::optional<v1::ChangeNotification> Next(std::chrono::milliseconds wait) override {
      if (feed_.live_.empty()) {
        ++feed_.quiet_waits;
        feed_.clock_.Advance(std::chrono::microseconds(wait).count());
        return std::nullopt;
      }
      v1::ChangeNotification next = std::move(feed_.live_.front());
      feed_.live_.pop_front();
      return next;
    }

   private:
    FakeChangeFeed& feed_;
  };

  base::ManualClock& clock_;
  std::deque<v1::ChangeNotification> live_;
};

// Appends to the real outbox it is opened on (so sequences and resume state are the real
// ones) and acknowledges everything on the `acks_on_wait`-th WaitForAck (1 = the first);
// until then each wait lets its timeout pass on the manual clock and fails. 0 = never.
class FakePublisher final : public EventPublisher {
 public:
  FakePublisher(bus::Outbox& outbox, base::ManualClock& clock, int acks_on_wait, std::vector<bus::OutboxItem>* published)
      : outbox_(outbox), clock_(clock), acks_on_wait_(acks_on_wait), published_(published) {}

  base::Result<std::vector<uint64_t>> Publish(std::vector<bus::OutboxItem> items,
                                              std::vector<std::pair<std::string, std::string>> meta_puts) override {
    published_->insert(published_->end(), items.begin(), items.end());
    return outbox_.Append(std::move(items), std::move(meta_puts));
  }
  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) override {
    if (acks_on_wait_ > 0 && ++waits_ >= acks_on_wait_) {
      acked_ = std::max(acked_, sequence);
      return true;
    }
    clock_.Advance(std::chrono::microseconds(timeout).count());
    return false;
  }
  uint64_t acked() const override { return acked_; }
  std::optional<bus::ReadPosition> PositionOf(std::span<const uint64_t>) const override { return position; }

  // What PositionOf answers (nullopt: one host).
  std::optional<bus::ReadPosition> position;

 private:
  bus::Outbox& outbox_;
  base::ManualClock& clock_;
  const int acks_on_wait_;
  std::vector<bus::OutboxItem>* published_;
  int waits_ = 0;
  uint64_t acked_ = 0;
};

class CtlTest : public ::testing::Test {
 protected:
  static constexpr char kIngest[] = "ipc://test/ingest.sock";

  CtlTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) / (std::string("ctl_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // The sections omnihubctl reads: [inject] for its outbox, [email] for replay's limits.
    static const config::Section* const kSections[] = {&InjectConfigSection(), &email::EmailConfigSection()};
    const std::string toml = "[inject]\noutbox_dir = \"" + (dir_ / "inject-outbox").string() + "\"\n";
    auto parsed = config::ParseConfig(toml, "test.toml", kSections);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) config_ = std::move(*parsed);
    config_.bus.ingest = kIngest;
    RegisterReparsers(config_, &reparsers_);
  }
  ~CtlTest() override { std::filesystem::remove_all(dir_); }

  // Runs one command as omnihubctl would, with the fakes; returns its exit code.
  int Run(Command command, std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    CtlContext ctx{config_, hub_, changes_, publishers_, reparsers_, out_, err_, clock_, random_};
    return command(ctx, args);
  }

  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  config::Config config_;
  base::ManualClock clock_{1'790'000'000'000'000};
  base::SeededRandom random_{7};
  FakeQueryTransport hub_;
  FakeChangeFeed changes_{clock_};
  int acks_on_wait_ = 1;
  std::vector<bus::OutboxItem> published_;
  // What the publishers say the log put the entries at (cluster mode); nullopt: one host.
  std::optional<bus::ReadPosition> position_;
  PublisherFactory publishers_ = [this](bus::Outbox& outbox) -> std::unique_ptr<EventPublisher> {
    auto publisher = std::make_unique<FakePublisher>(outbox, clock_, acks_on_wait_, &published_);
    publisher->position = position_;
    return publisher;
  };
  ReparserRegistry reparsers_;
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace omnihub::ctl::testing
