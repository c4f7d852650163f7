#include "common/bus/zmq_publisher.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "common/bus/publisher_metrics.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {
namespace {

// Frames taken from the core per loop iteration, so acks are read in between.
constexpr size_t kMaxSendBatch = 256;

std::string NextMonitorAddress() {
  static std::atomic<uint64_t> counter{0};
  return "inproc://omnihub-publisher-monitor-" + std::to_string(counter.fetch_add(1));
}

}  // namespace

ZmqPublisher::ZmqPublisher(zmq::context_t& ctx, std::string endpoint, Outbox& outbox, base::Clock& clock,
                           PublisherOptions options)
    : OutboxPublisher(outbox, clock, options), endpoint_(std::move(endpoint)) {
  if (!status_.ok()) return;
  try {
    socket_.emplace(ctx, zmq::socket_type::dealer);
    socket_->set(zmq::sockopt::immediate, 1);
    socket_->set(zmq::sockopt::linger, 0);
    // The window bounds what is in flight; a smaller HWM would only add EAGAINs.
    socket_->set(zmq::sockopt::sndhwm, static_cast<int>(std::max<uint32_t>(options_.window, 1000)));
    const std::string monitor_address = NextMonitorAddress();
    if (zmq_socket_monitor(socket_->handle(), monitor_address.c_str(),
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED) != 0) {
      throw zmq::error_t();
    }
    monitor_.emplace(ctx, zmq::socket_type::pair);
    monitor_->set(zmq::sockopt::linger, 0);
    monitor_->connect(monitor_address);
    socket_->connect(endpoint_);
  } catch (const zmq::error_t& e) {
    status_ = base::Status::Unavailable("publisher " + outbox_.publisher_id() + ": bus endpoint " + endpoint_ + ": " +
                                  e.what());
    CloseSockets();
    return;
  }
  // Starting the thread is a full memory barrier, which is what ZeroMQ asks for
  // when a socket moves to another thread.
  thread_ = std::thread([this] { Run(); });
}

ZmqPublisher::~ZmqPublisher() {
  StopAppends();
  stop_.store(true);
  if (thread_.joinable()) {
    wake_->Notify();
    thread_.join();
  }
}

base::Status ZmqPublisher::BusStatus(int64_t max_ack_silence_us) const {
  if (!status_.ok()) return status_;
  if (!connected_.load()) return base::Status::Unavailable("not connected to the unifier at " + endpoint_);
  return AckSilenceStatus(max_ack_silence_us, "the unifier at " + endpoint_);
}

void ZmqPublisher::Run() {
  PublisherCore core(outbox_, clock_, options_);
  const auto tick = std::chrono::milliseconds(std::clamp<int64_t>(options_.resend_timeout_us / 4000, 1, 100));
  bool blocked = false;  // the last send hit EAGAIN: also wait for the socket to become writable
  bool more = false;     // the core may release more frames right away
  while (!stop_.load()) {
    zmq::pollitem_t items[] = {
        {socket_->handle(), 0, static_cast<short>(ZMQ_POLLIN | (blocked ? ZMQ_POLLOUT : 0)), 0},
        {monitor_->handle(), 0, ZMQ_POLLIN, 0},
        {nullptr, wake_->fd(), ZMQ_POLLIN, 0},
    };
    try {
      // Idle (everything acknowledged), only a Publish, an ack or a reconnect can
      // change anything, and each of them wakes the poll: no timer needed.
      const auto timeout = more ? std::chrono::milliseconds(0) : core.AllAcked() ? std::chrono::milliseconds(-1) : tick;
      zmq::poll(items, 3, timeout);
      if (items[2].revents != 0) wake_->Drain();
      if (items[1].revents != 0) HandleMonitorEvents(core);
      if ((items[0].revents & ZMQ_POLLIN) != 0) ReceiveAcks(core);
      core.OnTick();
      more = SendFrames(core, &blocked);
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) break;  // the context is shutting down
      if (e.num() == EINTR) continue;
      // Anything else is unexpected on a DEALER; keep going (the core resends on
      // timeout) rather than leave the outbox undelivered.
      LogErrorRateLimited(std::string("socket error: ") + e.what());
      blocked = false;
      more = false;
      std::this_thread::sleep_for(tick);  // back off instead of spinning on a persistent error
    }
  }
  CloseSockets();
}

void ZmqPublisher::HandleMonitorEvents(PublisherCore& core) {
  zmq::message_t event;
  while (monitor_->recv(event, zmq::recv_flags::dontwait)) {
    // A monitor event is two frames: 6 bytes (uint16 event, uint32 value) and the endpoint.
    uint16_t id = 0;
    if (event.size() >= sizeof id) std::memcpy(&id, event.data(), sizeof id);
    zmq::message_t address;  // both frames arrive together, so this does not block
    if (event.more() && !monitor_->recv(address)) break;
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      spdlog::info("publisher {}: connected to {}", outbox_.publisher_id(), endpoint_);
      last_progress_us_.store(clock_.MonotonicMicros());
      connected_.store(true);
      if (options_.metrics != nullptr) options_.metrics->connected.Set(1);
      core.OnReconnect();
    } else if (id == ZMQ_EVENT_DISCONNECTED) {
      spdlog::info("publisher {}: disconnected from {}", outbox_.publisher_id(), endpoint_);
      connected_.store(false);
      if (options_.metrics != nullptr) options_.metrics->connected.Set(0);
    }
  }
}

void ZmqPublisher::ReceiveAcks(PublisherCore& core) {
  zmq::message_t message;
  while (socket_->recv(message, zmq::recv_flags::dontwait)) {
    if (message.more()) {
      // Acks are single-frame; drop the rest of a malformed multipart message.
      while (message.more() && socket_->recv(message, zmq::recv_flags::dontwait)) {
      }
      spdlog::warn("publisher {}: ignoring a multipart message", outbox_.publisher_id());
      continue;
    }
    v1::Ack ack;
    if (!ack.ParseFromArray(message.data(), static_cast<int>(message.size()))) {
      spdlog::warn("publisher {}: ignoring an unparsable ack ({} bytes)", outbox_.publisher_id(), message.size());
      continue;
    }
    core.OnAck(ack);
    last_progress_us_.store(clock_.MonotonicMicros());
  }
  PublishAcked(core.acked());
}

bool ZmqPublisher::SendFrames(PublisherCore& core, bool* blocked) {
  *blocked = false;
  base::Result<std::vector<OutboxEntry>> frames = core.TakeFramesToSend(kMaxSendBatch);
  if (!frames.ok()) {
    LogErrorRateLimited(frames.status().ToString());
    return false;
  }
  for (const OutboxEntry& entry : *frames) {
    if (!socket_->send(zmq::buffer(entry.frame_bytes), zmq::send_flags::dontwait)) {
      core.Unsent(entry.sequence);
      *blocked = true;
      return false;
    }
  }
  return frames->size() == kMaxSendBatch;
}

void ZmqPublisher::CloseSockets() {
  if (socket_) {
    zmq_socket_monitor(socket_->handle(), nullptr, 0);
    socket_->close();
  }
  if (monitor_) monitor_->close();
}

}  // namespace omnihub::bus
