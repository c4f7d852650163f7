#include "services/unifier/ingest/ingest_server.h"

#include <optional>

#include <spdlog/spdlog.h>

#include "services/unifier/ingest/counted_apply.h"

namespace omnihub::unifier {

IngestServer::IngestServer(zmq::context_t& ctx, BatchProcessor& processor, uint32_t batch_max_events, base::Clock& clock,
                           UnifierMetrics& metrics)
    : processor_(processor),
      clock_(clock),
      metrics_(metrics),
      batch_max_events_(batch_max_events),
      router_(ctx, zmq::socket_type::router),
      changes_(ctx),
      decode_stage_(processor.normalizer()) {
  router_.set(zmq::sockopt::linger, 0);
  router_.set(zmq::sockopt::rcvhwm, 0);  // flow control is the publishers' credit window
  router_.set(zmq::sockopt::sndhwm, 0);
  // Bounded frames: a peer cannot make the unifier allocate without limit. Large
  // enough for an email event carrying its attachments.
  router_.set(zmq::sockopt::maxmsgsize, int64_t{kMaxIngestFrameBytes});
}

base::Status IngestServer::Bind(const std::string& ingest_endpoint, const std::string& changes_endpoint) {
  try {
    router_.bind(ingest_endpoint);
  } catch (const zmq::error_t& e) {
    return base::Status::Unavailable(std::string("cannot bind ingest/changes endpoints: ") + e.what());
  }
  return changes_.Bind(changes_endpoint);
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
  changes_.Publish(result->changes);
  return base::Status::Ok();
}

base::Result<BatchResult> IngestServer::Commit(std::vector<DecodedFrame> frames) {
  return ApplyCounted(processor_, std::move(frames), clock_, metrics_);
}

}  // namespace omnihub::unifier
