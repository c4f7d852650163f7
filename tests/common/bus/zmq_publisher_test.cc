#include "common/bus/zmq_publisher.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <zmq.hpp>

#include "common/bus/outbox.h"
#include "common/bus/sequence_tracker.h"
#include "omnihub/v1/bus.pb.h"
#include "tests/support/zmq_ack.h"

namespace omnihub::bus {
namespace {

constexpr auto kWait = std::chrono::seconds(20);
// Long enough that the ack timeout cannot be what recovers a test stream: the
// resend flag and the reconnect must do it.
constexpr int64_t kNoTimeoutUs = 600'000'000;

struct FakeUnifierOptions {
  std::string publisher_id;
  uint64_t high_water = 0;  // committed before a restart
  // The first arrival of these sequences is dropped, as if lost on the way.
  std::set<uint64_t> drop_once;
  // Frames beyond this are taken into a batch that never commits (the process is
  // about to be killed): never acked, lost with the process.
  uint64_t commit_limit = UINT64_MAX;
  uint32_t credit = 1000;
};

// A minimal unifier: a ROUTER that applies the sequencing rules with a
// SequenceTracker, commits each frame at once and acks cumulatively.
class FakeUnifier {
 public:
  FakeUnifier(zmq::context_t& ctx, const std::string& endpoint, FakeUnifierOptions options)
      : options_(std::move(options)), socket_(ctx, zmq::socket_type::router), tracker_(clock_) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.bind(endpoint);
    if (!options_.publisher_id.empty()) tracker_.Load(options_.publisher_id, options_.high_water);
    thread_ = std::thread([this] { Run(); });
  }
  // Closing with linger 0 is what a SIGKILL looks like to the peer.
  ~FakeUnifier() {
    stop_ = true;
    thread_.join();
    socket_.close();
  }

  std::vector<uint64_t> accepted() const {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  size_t received() const { return received_.load(); }
  size_t resend_requests() const { return resend_requests_.load(); }
  uint64_t committed() const { return committed_.load(); }
  uint64_t max_outstanding() const { return max_outstanding_.load(); }
  size_t bad_payloads() const { return bad_payloads_.load(); }

  bool WaitUntilReceived(size_t n) const {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (received_.load() < n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

 private:
  void Run() {
    std::string peer;
    uint64_t last_acked = committed_.load();
    while (!stop_) {
      zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, std::chrono::milliseconds(10));
      bool resend = false;
      zmq::message_t id;
      while (socket_.recv(id, zmq::recv_flags::dontwait)) {
        zmq::message_t body;
        if (!socket_.recv(body)) break;
        peer = id.to_string();
        v1::BusFrame frame;
        if (!frame.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
          ++bad_payloads_;
          continue;
        }
        ++received_;
        resend |= Handle(frame);
      }
      const uint64_t committed = committed_.load();
      if (!peer.empty() && (committed > last_acked || resend)) {
        testing::SendAck(socket_, peer, options_.publisher_id, committed, options_.credit, resend);
        last_acked = committed;
      }
    }
  }

  // Returns true if a resend request should go out.
  bool Handle(const v1::BusFrame& frame) {
    if (options_.publisher_id.empty()) options_.publisher_id = frame.publisher_id();
    const uint64_t seq = frame.sequence();
    if (options_.drop_once.erase(seq) > 0) return false;
    if (seq > committed_.load()) max_outstanding_ = std::max<uint64_t>(max_outstanding_.load(), seq - committed_.load());
    switch (tracker_.Classify(frame.publisher_id(), seq)) {
      case bus::SequenceTracker::Disposition::kDuplicate:
        return false;
      case bus::SequenceTracker::Disposition::kGap:
        if (!tracker_.ShouldRequestResend(frame.publisher_id())) return false;
        ++resend_requests_;
        return true;
      case bus::SequenceTracker::Disposition::kNext:
        tracker_.Stage(frame.publisher_id(), seq);
        if (seq > options_.commit_limit) return false;  // staged forever, never committed
        tracker_.Commit();
        if (frame.event() != "event-" + std::to_string(seq)) ++bad_payloads_;
        {
          std::lock_guard lock(mu_);
          accepted_.push_back(seq);
        }
        committed_ = seq;
        return false;
    }
    return false;
  }

  FakeUnifierOptions options_;  // unifier thread only, after construction
  zmq::socket_t socket_;
  base::SystemClock clock_;
  bus::SequenceTracker tracker_;  // unifier thread only
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<uint64_t> accepted_;  // guarded by mu_
  std::atomic<size_t> received_{0};
  std::atomic<size_t> resend_requests_{0};
  std::atomic<size_t> bad_payloads_{0};
  std::atomic<uint64_t> committed_{options_.high_water};
  std::atomic<uint64_t> max_outstanding_{0};
  std::thread thread_;
};

class ZmqPublisherTest : public ::testing::Test {
 protected:
  ZmqPublisherTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-zpub-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    endpoint_ = "ipc://" + dir_ + "/ingest.sock";
    auto outbox = bus::Outbox::Open(dir_ + "/outbox", "test", random_);
    EXPECT_TRUE(outbox.ok()) << outbox.status().ToString();
    if (outbox.ok()) outbox_ = std::move(*outbox);
  }
  ~ZmqPublisherTest() override {
    outbox_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<bus::ZmqPublisher> StartPublisher(uint32_t window) {
    return std::make_unique<bus::ZmqPublisher>(ctx_, endpoint_, *outbox_, clock_, bus::PublisherOptions{window, kNoTimeoutUs});
  }

  // Publishes events "event-<n>" for n in [first, last], in batches of varying size.
  static void PublishRange(bus::ZmqPublisher& publisher, uint64_t first, uint64_t last) {
    uint64_t next = first;
    size_t batch = 1;
    while (next <= last) {
      std::vector<bus::OutboxItem> items;
      for (size_t i = 0; i < batch && next <= last; ++i, ++next) items.push_back({"event-" + std::to_string(next), {}});
      auto seqs = publisher.Publish(std::move(items));
      ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
      batch = batch % 17 + 1;
    }
  }

  static std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
    std::vector<uint64_t> seqs;
    for (uint64_t s = first; s <= last; ++s) seqs.push_back(s);
    return seqs;
  }

  std::string dir_;
  std::string endpoint_;
  zmq::context_t ctx_;
  base::SystemClock clock_;
  base::SeededRandom random_{11};
  std::unique_ptr<bus::Outbox> outbox_;
};

TEST_F(ZmqPublisherTest, EveryFrameArrivesInOrderIsAckedAndTrimmed) {
  ASSERT_NE(outbox_, nullptr);
  FakeUnifier unifier(ctx_, endpoint_, {});
  auto publisher = StartPublisher(/*window=*/64);
  ASSERT_TRUE(publisher->status().ok()) << publisher->status().ToString();
  PublishRange(*publisher, 1, 2000);
  ASSERT_TRUE(publisher->WaitForAck(2000, kWait)) << "acked " << publisher->acked();
  EXPECT_EQ(unifier.accepted(), Range(1, 2000));
  EXPECT_EQ(unifier.bad_payloads(), 0u);
  EXPECT_LE(unifier.max_outstanding(), 64u) << "the window bounds what is in flight";
  EXPECT_EQ(outbox_->pending(), 0u);
  EXPECT_EQ(outbox_->trimmed_through(), 2000u);
}

TEST_F(ZmqPublisherTest, DroppedFramesAreResentWhenTheUnifierReportsAGap) {
  ASSERT_NE(outbox_, nullptr);
  FakeUnifierOptions options;
  for (uint64_t s = 50; s <= 60; ++s) options.drop_once.insert(s);
  FakeUnifier unifier(ctx_, endpoint_, options);
  auto publisher = StartPublisher(/*window=*/256);
  PublishRange(*publisher, 1, 300);
  ASSERT_TRUE(publisher->WaitForAck(300, kWait)) << "acked " << publisher->acked();
  EXPECT_EQ(unifier.accepted(), Range(1, 300));
  EXPECT_GE(unifier.resend_requests(), 1u);
  EXPECT_EQ(outbox_->pending(), 0u);
}

TEST_F(ZmqPublisherTest, EverythingUnackedIsResentToARestartedUnifier) {
  ASSERT_NE(outbox_, nullptr);
  auto publisher = StartPublisher(/*window=*/512);
  std::vector<uint64_t> before_crash;
  uint64_t committed = 0;
  {
    FakeUnifierOptions options;
    options.commit_limit = 100;
    FakeUnifier unifier(ctx_, endpoint_, options);
    PublishRange(*publisher, 1, 300);
    // Received well past what it committed: those frames die with it.
    ASSERT_TRUE(unifier.WaitUntilReceived(250)) << "received " << unifier.received();
    before_crash = unifier.accepted();
    committed = unifier.committed();
  }
  ASSERT_EQ(committed, 100u);

  FakeUnifierOptions options;
  options.publisher_id = publisher->publisher_id();
  options.high_water = committed;
  FakeUnifier restarted(ctx_, endpoint_, options);
  // Nothing new is sent, so the restarted unifier sees no gap: only the reconnect
  // (the ack timeout is far away) brings back 101..300.
  ASSERT_TRUE(publisher->WaitForAck(300, kWait)) << "acked " << publisher->acked();
  PublishRange(*publisher, 301, 400);  // and the stream goes on
  ASSERT_TRUE(publisher->WaitForAck(400, kWait)) << "acked " << publisher->acked();
  std::vector<uint64_t> all = before_crash;
  const std::vector<uint64_t> after = restarted.accepted();
  all.insert(all.end(), after.begin(), after.end());
  EXPECT_EQ(all, Range(1, 400)) << "nothing lost, nothing twice";
  EXPECT_EQ(restarted.bad_payloads(), 0u);
  EXPECT_EQ(outbox_->pending(), 0u);
}

TEST_F(ZmqPublisherTest, EntriesPublishedBeforeTheUnifierIsUpAreDeliveredOnceItBinds) {
  ASSERT_NE(outbox_, nullptr);
  auto publisher = StartPublisher(/*window=*/64);
  PublishRange(*publisher, 1, 100);
  EXPECT_FALSE(publisher->WaitForAck(1, std::chrono::milliseconds(50)));
  EXPECT_EQ(outbox_->pending(), 100u);
  FakeUnifier unifier(ctx_, endpoint_, {});
  ASSERT_TRUE(publisher->WaitForAck(100, kWait)) << "acked " << publisher->acked();
  EXPECT_EQ(unifier.accepted(), Range(1, 100));
}

TEST_F(ZmqPublisherTest, RestartedPublisherSendsWhatItsOutboxStillHolds) {
  ASSERT_NE(outbox_, nullptr);
  {
    auto publisher = StartPublisher(/*window=*/64);
    PublishRange(*publisher, 1, 50);  // no unifier: nothing leaves the outbox
  }
  FakeUnifier unifier(ctx_, endpoint_, {});
  auto publisher = StartPublisher(/*window=*/64);
  ASSERT_TRUE(publisher->WaitForAck(50, kWait)) << "acked " << publisher->acked();
  EXPECT_EQ(unifier.accepted(), Range(1, 50));
}

TEST_F(ZmqPublisherTest, MalformedEndpointFailsPublish) {
  ASSERT_NE(outbox_, nullptr);
  bus::ZmqPublisher publisher(ctx_, "nonsense://x", *outbox_, clock_, PublisherOptions{});
  EXPECT_FALSE(publisher.status().ok());
  auto seqs = publisher.Publish({{"event-1", {}}});
  EXPECT_FALSE(seqs.ok());
  EXPECT_EQ(outbox_->last_sequence(), 0u);
}

}  // namespace
}  // namespace omnihub::bus
