// Blobs kept in the cluster's blob stream (Blob.in_blob_store: data empty, the bytes in
// OMNI_BLOBS under their SHA-256, docs/cluster.md "Blobs"): before a replica applies a frame
// that names such blobs, it fetches their bytes and puts them into the frame, so the apply
// code stores them exactly as it stores blobs that came inline. A blob that cannot be fetched
// (the blob stream unreachable, a chunk not there yet) stops the frame: the caller retries,
// and never applies the frame without its bytes.
//
// Thread-safety: FillBlobs is a function; a BlobSource says its own.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::unifier::replica {

// Where blob bytes are fetched from (bus::nats::NatsBlobStore in cluster mode).
class BlobSource {
 public:
  virtual ~BlobSource() = default;
  // The bytes of the blob whose SHA-256 is `sha256_hex` (64 lower-case hex digits).
  virtual base::Result<std::string> Get(std::string_view sha256_hex) = 0;
};

// Rewrites the serialized BusFrame `frame` with the bytes of each in_blob_store blob filled
// in (and in_blob_store cleared). A frame that names none, or does not parse (apply
// dead-letters it), is left as it is. Returns the first fetch error, leaving `frame` unchanged.
base::Status FillBlobs(std::string& frame, BlobSource& source);

}  // namespace omnihub::unifier::replica
