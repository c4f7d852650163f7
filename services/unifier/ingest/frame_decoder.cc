#include "services/unifier/ingest/frame_decoder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/event/event_validation.h"

namespace omnihub::unifier {
namespace {

bool IsCommandFrame(const std::string& bytes) {
  // Walks the frame's top-level tags without copying its payload or blobs. An unreadable
  // frame is not a command (Apply dead-letters it).
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  while (const uint32_t tag = in.ReadTag()) {
    if (google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag) == v1::BusFrame::kCommandFieldNumber) {
      return true;
    }
    if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) return false;
  }
  return false;
}

void DecodeEvent(const event::IdentityNormalizer& normalizer, DecodedFrame& d) {
  v1::Event event;
  if (!event.ParseFromString(d.frame.event())) {
    d.event_defect = "event bytes are not a valid omnihub.v1.Event";
    return;
  }
  if (base::Status s = event::ValidateAndNormalizeEvent(&event, normalizer); !s.ok()) {
    d.event_defect = s.message();
    return;
  }
  if (std::string defect = CheckBlobs(d.frame); !defect.empty()) {
    d.event_defect = std::move(defect);
    return;
  }
  d.event = std::move(event);
}

}  // namespace

std::vector<DecodedFrame> DecodeFrames(std::vector<InboundFrame> frames, const event::IdentityNormalizer& normalizer) {
  std::vector<DecodedFrame> decoded(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    DecodedFrame& d = decoded[i];
    d.in = std::move(frames[i]);
    d.is_command = IsCommandFrame(d.in.bytes);
    d.parsed = d.frame.ParseFromString(d.in.bytes) && !d.frame.publisher_id().empty() && d.frame.sequence() != 0;
    // A frame of another protocol version is a dead letter whatever it carries.
    if (d.parsed && d.frame.protocol_version() == v1::BusVersion::CURRENT &&
        d.frame.payload_case() == v1::BusFrame::kEvent) {
      DecodeEvent(normalizer, d);
    }
  }
  return decoded;
}

std::string CheckBlobs(const v1::BusFrame& frame) {
  for (const auto& blob : frame.blobs()) {
    if (blob.sha256().size() != 32) return "blob with a SHA-256 of " + std::to_string(blob.sha256().size()) + " bytes";
    if (blob.compression() != "" && blob.compression() != "zstd") {
      return "blob with unknown compression '" + blob.compression() + "'";
    }
    // Uncompressed blobs are checked against their address; compressed ones are
    // checked when read back (decompressing here would cost the ingest path).
    if (blob.compression().empty() &&
        (blob.data().size() != blob.size_bytes() || base::Sha256(blob.data()) != blob.sha256())) {
      return "blob " + base::HexEncode(blob.sha256()) + " does not match its SHA-256 or size";
    }
  }
  return "";
}

}  // namespace omnihub::unifier
