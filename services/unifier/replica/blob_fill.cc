#include "services/unifier/replica/blob_fill.h"

#include "common/base/coding.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::unifier::replica {

base::Status FillBlobs(std::string& frame, BlobSource& source) {
  v1::BusFrame parsed;
  if (!parsed.ParseFromString(frame)) return base::Status::Ok();
  bool filled = false;
  for (auto& blob : *parsed.mutable_blobs()) {
    // A malformed address cannot be fetched; apply dead-letters the frame (CheckBlobs).
    if (!blob.in_blob_store() || blob.sha256().size() != 32) continue;
    const std::string hex = base::HexEncode(blob.sha256());
    auto bytes = source.Get(hex);
    if (!bytes.ok()) {
      return base::Status(bytes.status().code(), "blob " + hex + " of frame " + parsed.publisher_id() + "/" +
                                                     std::to_string(parsed.sequence()) + ": " +
                                                     bytes.status().message());
    }
    blob.set_data(std::move(*bytes));
    blob.set_in_blob_store(false);
    filled = true;
  }
  if (filled) frame = parsed.SerializeAsString();
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::replica
