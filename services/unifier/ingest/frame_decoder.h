// The part of ingest that needs neither the store nor the ingest state: parsing a bus frame,
// parsing its event, validating and normalizing it (event_validation.h) and checking its
// blobs. It is a pure function of the frame bytes and the (thread-safe) normalizer, so the
// ingest server runs it on a stage thread for the next batch while the ingest thread resolves
// and commits the current one (decode_stage.h); BatchProcessor::Process runs it inline.
// What a decoded frame becomes (stored, deduplicated, dead-lettered, skipped as a resend) is
// still decided by BatchProcessor::Apply, in arrival order.
//
// Thread-safety: DecodeFrames may run on any thread, concurrently with anything that uses the
// same normalizer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::unifier {

struct InboundFrame {
  std::string routing_id;  // the ZeroMQ peer to answer; opaque here
  std::string bytes;       // one serialized BusFrame
  // Cluster mode: the frame's position in its partition log and its message id
  // (common/bus/partition_log.h); 0 and "" on the single-host bus.
  uint64_t log_position = 0;
  std::string log_message_id = {};
};

struct DecodedFrame {
  InboundFrame in;
  // A command commits in a batch of its own (BatchProcessor::Apply); read from the raw tags,
  // so a frame that does not parse can still be one.
  bool is_command = false;
  // False: not a BusFrame with a publisher id and a sequence (a dead letter of the raw bytes).
  bool parsed = false;
  v1::BusFrame frame;
  // For an event payload: the event, validated and normalized, or why it is a dead letter.
  std::optional<v1::Event> event;
  std::string event_defect;
};

// Decodes `frames`, keeping their order.
std::vector<DecodedFrame> DecodeFrames(std::vector<InboundFrame> frames, const event::IdentityNormalizer& normalizer);

// The defect of the frame's blobs, or "" when they are well-formed.
std::string CheckBlobs(const v1::BusFrame& frame);

}  // namespace omnihub::unifier
