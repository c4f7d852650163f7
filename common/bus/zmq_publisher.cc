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

OutboxOptions OutboxOptionsFrom(const config::PublisherConfig& config, base::Clock& clock) {
  OutboxOptions options;
  options.clock = &clock;
  options.keep_acked_us = int64_t{config.keep_acked_hours} * 3600 * 1'000'000;
  return options;
}

PublisherOptions PublisherOptionsFrom(const config::PublisherConfig& config) {
  PublisherOptions options;
  options.window = config.window;
  options.resend_timeout_us = int64_t{config.resend_timeout_ms} * 1000;
  return options;
}

int64_t MaxAckSilenceUs(const PublisherOptions& options) {
  return std::max<int64_t>(10'000'000, 3 * options.resend_timeout_us);
}

ZmqPublisher::ZmqPublisher(zmq::context_t& ctx, std::string endpoint, Outbox& outbox, base::Clock& clock,
                           PublisherOptions options)
    : endpoint_(std::move(endpoint)),
      outbox_(outbox),
      clock_(clock),
      options_(options),
      acked_(outbox.acked_through()) {
  base::Result<base::EventFdSignal> wake = base::EventFdSignal::Create();
  if (!wake.ok()) {
    status_ = wake.status();
    return;
  }
  wake_.emplace(std::move(*wake));
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
  outbox_.WaitIdle();  // the callbacks of appends still queued use this object
  stop_.store(true);
  if (thread_.joinable()) {
    wake_->Notify();
    thread_.join();
  }
}

std::vector<service::Counter*> ZmqPublisher::CountersFor(const std::vector<OutboxItem>& items) const {
  std::vector<service::Counter*> counts;
  if (options_.metrics == nullptr) return counts;
  counts.reserve(items.size());
  for (const OutboxItem& item : items) counts.push_back(&options_.metrics->CounterFor(item));
  return counts;
}

void ZmqPublisher::Appended(bool ok, const std::vector<service::Counter*>& counts) {
  if (ok) {
    wake_->Notify();
    for (service::Counter* c : counts) c->Increment();
  } else if (options_.metrics != nullptr) {
    options_.metrics->append_failures.Increment();
  }
}

base::Result<std::vector<uint64_t>> ZmqPublisher::Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                                         std::vector<std::string> meta_deletes) {
  if (!status_.ok()) return status_;
  const std::vector<service::Counter*> counts = CountersFor(items);
  base::Result<std::vector<uint64_t>> sequences = outbox_.Append(std::move(items), std::move(meta_puts), std::move(meta_deletes));
  Appended(sequences.ok(), counts);
  return sequences;
}

void ZmqPublisher::AppendAsync(std::vector<OutboxItem> items, MetaPuts meta_puts, std::vector<std::string> meta_deletes,
                               AppendDone done) {
  if (!status_.ok()) return done(status_);
  std::vector<service::Counter*> counts = CountersFor(items);  // before `items` moves away
  outbox_.AppendAsync(std::move(items), std::move(meta_puts), std::move(meta_deletes),
                      [this, counts = std::move(counts), done = std::move(done)](
                          base::Result<std::vector<uint64_t>> sequences) {
                        Appended(sequences.ok(), counts);
                        done(std::move(sequences));
                      });
}

base::Status ZmqPublisher::BusStatus(int64_t max_ack_silence_us) const {
  if (!status_.ok()) return status_;
  if (!connected_.load()) return base::Status::Unavailable("not connected to the unifier at " + endpoint_);
  const size_t waiting = outbox_.pending();
  const int64_t silence = clock_.MonotonicMicros() - last_progress_us_.load();
  if (waiting > 0 && silence > max_ack_silence_us) {
    return base::Status::Unavailable("connected to the unifier at " + endpoint_ + " but no ack for " +
                               std::to_string(silence / 1'000'000) + " s with " + std::to_string(waiting) +
                               " entries waiting");
  }
  return base::Status::Ok();
}

bool ZmqPublisher::WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(ack_mu_);
  return ack_cv_.wait_for(lock, timeout, [&] { return acked_.load() >= sequence; });
}

void ZmqPublisher::PublishAcked(uint64_t acked) {
  if (acked == acked_.load()) return;
  {
    std::lock_guard lock(ack_mu_);
    acked_.store(acked);
  }
  ack_cv_.notify_all();
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

void ZmqPublisher::LogErrorRateLimited(const std::string& message) {
  const int64_t now = clock_.MonotonicMicros();
  if (now - last_error_log_us_ < 1'000'000) return;
  last_error_log_us_ = now;
  spdlog::error("publisher {}: {}", outbox_.publisher_id(), message);
}

void ZmqPublisher::CloseSockets() {
  if (socket_) {
    zmq_socket_monitor(socket_->handle(), nullptr, 0);
    socket_->close();
  }
  if (monitor_) monitor_->close();
}

}  // namespace omnihub::bus
