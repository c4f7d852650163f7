#include "services/unifier/ingest/ingest_server.h"

#include <optional>

#include <spdlog/spdlog.h>

namespace omnihub::unifier {

IngestServer::IngestServer(zmq::context_t& ctx, BatchProcessor& processor, uint32_t batch_max_events, base::Clock& clock,
                           UnifierMetrics& metrics)
    : processor_(processor),
      clock_(clock),
      metrics_(metrics),
      batch_max_events_(batch_max_events),
      router_(ctx, zmq::socket_type::router),
      pub_(ctx, zmq::socket_type::pub),
      decode_stage_(processor.normalizer()) {
  router_.set(zmq::sockopt::linger, 0);
  router_.set(zmq::sockopt::rcvhwm, 0);  // flow control is the publishers' credit window
  router_.set(zmq::sockopt::sndhwm, 0);
  // Bounded frames: a peer cannot make the unifier allocate without limit. Large
  // enough for an email event carrying its attachments.
  router_.set(zmq::sockopt::maxmsgsize, int64_t{kMaxIngestFrameBytes});
  pub_.set(zmq::sockopt::linger, 0);
  pub_.set(zmq::sockopt::sndhwm, 100000);  // slow subscribers catch up from the change log
}

base::Status IngestServer::Bind(const std::string& ingest_endpoint, const std::string& changes_endpoint) {
  try {
    router_.bind(ingest_endpoint);
    pub_.bind(changes_endpoint);
  } catch (const zmq::error_t& e) {
    return base::Status::Unavailable(std::string("cannot bind ingest/changes endpoints: ") + e.what());
  }
  return base::Status::Ok();
}

base::Status IngestServer::Run(const std::atomic<bool>& stop) {
  zmq::pollitem_t items[] = {{router_.handle(), 0, ZMQ_POLLIN, 0}};
  // The batch on the decode stage. It is applied on the next turn, after the frames that came
  // meanwhile went to the stage: decoding those overlaps its resolution and commit.
  std::optional<std::future<std::vector<DecodedFrame>>> decoding;
  while (!stop.load()) {
    try {
      // With a batch decoding, only look whether more has come; do not wait for it.
      zmq::poll(items, 1, decoding ? std::chrono::milliseconds(0) : std::chrono::milliseconds(200));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      return base::Status::Internal(std::string("poll: ") + e.what());
    }
    std::optional<std::future<std::vector<DecodedFrame>>> next;
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      std::vector<InboundFrame> frames = Receive();
      if (!frames.empty()) next = decode_stage_.Submit(std::move(frames));
    }
    if (decoding) OMNIHUB_RETURN_IF_ERROR(CommitAndAnswer(decoding->get()));
    decoding = std::move(next);
  }
  // Received before the stop: committed (and acknowledged, if the sockets still carry it)
  // rather than resent by its publishers after the restart.
  if (decoding) return CommitAndAnswer(decoding->get());
  return base::Status::Ok();
}

std::vector<InboundFrame> IngestServer::Receive() {
  std::vector<InboundFrame> frames;
  while (frames.size() < batch_max_events_) {
    zmq::message_t routing;
    auto got = router_.recv(routing, zmq::recv_flags::dontwait);
    if (!got) break;
    InboundFrame frame;
    frame.routing_id = routing.to_string();
    // Publishers send one payload part; anything after it is drained and ignored.
    bool more = routing.more();
    bool first = true;
    while (more) {
      zmq::message_t part;
      if (!router_.recv(part, zmq::recv_flags::none)) break;
      if (first) frame.bytes = part.to_string();
      first = false;
      more = part.more();
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

base::Status IngestServer::CommitAndAnswer(std::vector<DecodedFrame> frames) {
  auto result = Commit(std::move(frames));
  if (!result.ok()) return result.status();
  for (const auto& out : result->acks) {
    const std::string bytes = out.ack.SerializeAsString();
    router_.send(zmq::buffer(out.routing_id), zmq::send_flags::sndmore);
    router_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
  }
  Publish(*result);
  return base::Status::Ok();
}

base::Result<BatchResult> IngestServer::Commit(std::vector<DecodedFrame> frames) {
  const int64_t start = clock_.MonotonicMicros();
  const StoreCounters before = processor_.counters();
  const size_t count = frames.size();
  metrics_.frames_received.Increment(count);
  base::Result<BatchResult> result = processor_.Apply(std::move(frames));
  if (!result.ok()) {
    metrics_.commit_failures.Increment();
    return result;
  }
  metrics_.commit_seconds.Observe(static_cast<double>(clock_.MonotonicMicros() - start) / 1e6);
  metrics_.batch_frames.Observe(static_cast<double>(count));
  // The processor's counters are the committed totals; what this batch added is the difference.
  const StoreCounters& after = processor_.counters();
  metrics_.events_committed.Increment(after.events - before.events);
  metrics_.statuses_committed.Increment(after.statuses - before.statuses);
  metrics_.duplicates.Increment(after.duplicates - before.duplicates);
  metrics_.dead_letters.Increment(after.dead_letters - before.dead_letters);
  for (const OutboundAck& out : result->acks) {
    if (out.ack.resend()) metrics_.resend_requests.Increment();
  }
  return result;
}

void IngestServer::Publish(const BatchResult& result) {
  for (const auto& change : result.changes) {
    const std::string bytes = change.SerializeAsString();
    // PUB never blocks; a subscriber that misses a notification sees the gap in
    // change_seq and reads the change log.
    pub_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
  }
}

}  // namespace omnihub::unifier
