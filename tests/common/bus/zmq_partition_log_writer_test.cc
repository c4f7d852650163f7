// The single-host ZeroMQ bus behind PartitionLogWriter: Append of an outbox entry returns
// once a unifier (a minimal ROUTER here, acknowledging cumulatively as the real one does)
// has acknowledged it, at the position of its sequence; what the bus cannot carry is
// refused with a reason; without a unifier the answer is Unavailable.
#include "common/bus/zmq_partition_log_writer.h"

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <zmq.hpp>

#include "common/base/env.h"
#include "common/bus/outbox.h"
#include "omnihub/v1/bus.pb.h"
#include "tests/support/zmq_ack.h"

namespace omnihub::bus {
namespace {

using std::chrono::milliseconds;

// A ROUTER that acknowledges cumulatively, by sequence, as the real unifier does; it holds
// its acks until Release(), so that a test decides whether an ack comes before or after
// Append looks (the publisher sends the moment an entry is in the outbox).
class AckingUnifier {
 public:
  AckingUnifier(zmq::context_t& ctx, const std::string& endpoint) : socket_(ctx, zmq::socket_type::router) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.bind(endpoint);
    thread_ = std::thread([this] { Run(); });
  }
  ~AckingUnifier() {
    stop_ = true;
    thread_.join();
  }

  void Release() { released_ = true; }

 private:
  void Run() {
    uint64_t committed = 0;
    uint64_t acked = 0;
    std::string peer_id;
    std::string publisher_id;
    while (!stop_) {
      zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, milliseconds(10));
      zmq::message_t peer;
      while (socket_.recv(peer, zmq::recv_flags::dontwait)) {
        zmq::message_t body;
        if (!socket_.recv(body)) break;
        v1::BusFrame frame;
        if (!frame.ParseFromArray(body.data(), static_cast<int>(body.size()))) continue;
        if (frame.sequence() == committed + 1) committed = frame.sequence();
        peer_id = peer.to_string();
        publisher_id = frame.publisher_id();
      }
      if (released_ && committed > acked) {
        testing::SendAck(socket_, peer_id, publisher_id, committed, /*credit=*/1000);
        acked = committed;
      }
    }
  }

  zmq::socket_t socket_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> released_{false};
  std::thread thread_;
};

class ZmqPartitionLogWriterTest : public ::testing::Test {
 protected:
  ZmqPartitionLogWriterTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-zlog-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    endpoint_ = "ipc://" + dir_ + "/ingest.sock";
    auto outbox = Outbox::Open(dir_ + "/outbox", "email", random_);
    EXPECT_TRUE(outbox.ok()) << outbox.status().ToString();
    outbox_ = std::move(*outbox);
    publisher_ = std::make_unique<ZmqPublisher>(ctx_, endpoint_, *outbox_, clock_, PublisherOptions{});
  }
  ~ZmqPartitionLogWriterTest() override {
    publisher_.reset();
    outbox_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Appends one event to the outbox; its message id.
  std::string AppendEvent(const std::string& bytes) {
    auto sequences = publisher_->Publish({{bytes, {}}});
    EXPECT_TRUE(sequences.ok()) << sequences.status().ToString();
    return LogMessageId{.publisher_id = publisher_->publisher_id(), .partition = 0, .sequence = sequences->at(0)}
        .ToString();
  }

  std::string dir_;
  std::string endpoint_;
  zmq::context_t ctx_;
  base::SeededRandom random_{11};
  base::SystemClock clock_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<ZmqPublisher> publisher_;
};

TEST_F(ZmqPartitionLogWriterTest, AppendReturnsOnceTheUnifierAcknowledged) {
  AckingUnifier unifier(ctx_, endpoint_);
  ZmqPartitionLogWriter writer(*publisher_, *outbox_, milliseconds(20'000));
  EXPECT_EQ(writer.partition_count(), 1u);
  const std::string first = AppendEvent("event-1");
  const std::string second = AppendEvent("event-2");
  auto pending = std::async(std::launch::async, [&] { return writer.Append(0, second, ""); });
  // Nothing acknowledged yet: Append waits (an ack cannot have come before it looked).
  ASSERT_EQ(pending.wait_for(milliseconds(300)), std::future_status::timeout);
  unifier.Release();
  auto ack = pending.get();
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->position, 2u);
  EXPECT_FALSE(ack->duplicate);
  EXPECT_GE(publisher_->acked(), 2u);
  // Asked again (a sender that restarted): already acknowledged.
  auto again = writer.Append(0, first, "");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->position, 1u);
}

TEST_F(ZmqPartitionLogWriterTest, RefusesWhatOneHostCannotCarry) {
  ZmqPartitionLogWriter writer(*publisher_, *outbox_, milliseconds(0));
  const std::string id = AppendEvent("event-1");
  auto other_partition = writer.Append(1, publisher_->publisher_id() + "/1/1", "");
  ASSERT_FALSE(other_partition.ok());
  EXPECT_NE(other_partition.status().message().find("partition 1 does not exist"), std::string::npos);
  auto other_publisher = writer.Append(0, "sms-0000/0/1", "");
  ASSERT_FALSE(other_publisher.ok());
  EXPECT_NE(other_publisher.status().message().find("names publisher sms-0000"), std::string::npos);
  auto not_in_outbox = writer.Append(0, publisher_->publisher_id() + "/0/2", "");
  ASSERT_FALSE(not_in_outbox.ok());
  EXPECT_NE(not_in_outbox.status().message().find("is not in the outbox"), std::string::npos);

  // No unifier: nothing acknowledges (a zero timeout, so the test does not wait).
  auto unacknowledged = writer.Append(0, id, "");
  ASSERT_FALSE(unacknowledged.ok());
  EXPECT_TRUE(unacknowledged.status().IsUnavailable()) << unacknowledged.status().ToString();
}

}  // namespace
}  // namespace omnihub::bus
