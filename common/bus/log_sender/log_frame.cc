#include "common/bus/log_sender/log_frame.h"

#include "common/base/compression.h"
#include "common/base/coding.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::bus {
namespace {

std::string TenantOr(const std::string& tenant) { return tenant.empty() ? kDefaultTenant : tenant; }

}  // namespace

base::Result<std::string> TenantOfFrame(std::string_view frame_bytes) {
  v1::BusFrame frame;
  if (!frame.ParseFromArray(frame_bytes.data(), static_cast<int>(frame_bytes.size()))) {
    return base::Status::Corruption("an outbox entry of " + std::to_string(frame_bytes.size()) +
                                    " bytes is not a BusFrame");
  }
  switch (frame.payload_case()) {
    case v1::BusFrame::kEvent: {
      // An event that does not parse travels as it is, to be dead-lettered by the replica:
      // it belongs to the default tenant, as it would on one host.
      v1::Event event;
      if (!event.ParseFromString(frame.event())) return std::string(kDefaultTenant);
      return TenantOr(event.tenant_id());
    }
    case v1::BusFrame::kCommand: {
      v1::Command command;
      if (!command.ParseFromString(frame.command())) return std::string(kDefaultTenant);
      return TenantOr(command.tenant_id());
    }
    default:
      return std::string(kDefaultTenant);  // a dead letter: the input named no tenant
  }
}

base::Result<std::string> FrameWithBlobsStored(std::string_view frame_bytes, BlobSink& blobs) {
  v1::BusFrame frame;
  if (!frame.ParseFromArray(frame_bytes.data(), static_cast<int>(frame_bytes.size()))) {
    return base::Status::Corruption("an outbox entry of " + std::to_string(frame_bytes.size()) +
                                    " bytes is not a BusFrame");
  }
  bool changed = false;
  for (v1::Blob& blob : *frame.mutable_blobs()) {
    if (blob.in_blob_store()) continue;
    const std::string want = base::HexEncode(blob.sha256());
    std::string plain;
    if (blob.compression() == "zstd") {
      base::Result<std::string> decompressed = base::ZstdDecompress(blob.data());
      if (!decompressed.ok()) return decompressed.status().WithContext("blob " + want);
      plain = std::move(*decompressed);
    } else if (blob.compression().empty()) {
      plain = blob.data();
    } else {
      return base::Status::Corruption("blob " + want + " has unknown compression '" + blob.compression() + "'");
    }
    base::Result<std::string> stored = blobs.Put(plain);
    if (!stored.ok()) return stored.status();
    if (*stored != want) {
      return base::Status::Corruption("blob named " + want + " holds bytes whose SHA-256 is " + *stored);
    }
    blob.clear_data();
    blob.clear_compression();
    blob.set_in_blob_store(true);
    changed = true;
  }
  if (!changed) return std::string(frame_bytes);
  return frame.SerializeAsString();
}

std::string FrameWithPartitionOrder(std::string frame_bytes, uint64_t partition_prev, uint64_t acked_floor) {
  v1::BusFrame order;
  order.set_partition_prev(partition_prev);
  order.set_acked_floor(acked_floor);
  frame_bytes += order.SerializeAsString();
  return frame_bytes;
}

}  // namespace omnihub::bus
