// How an outbox entry becomes a frame of the partition log (docs/cluster.md, "Adapters in
// cluster mode"): the tenant it belongs to (Event.tenant_id, Command.tenant_id; empty, a
// dead letter or an event that does not parse: "default"), and its blobs moved out of the
// frame into the blob store before the frame is appended, so that a frame stays under the
// server's max_payload and a replica applying it finds its blobs.
//
// Thread-safety: free functions; a BlobSink says its own.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bus {

// The tenant of events and commands that name none.
inline constexpr char kDefaultTenant[] = "default";

// Where cluster mode keeps blobs: NatsBlobStore (OMNI_BLOBS) in production, an in-memory
// one in tests.
class BlobSink {
 public:
  BlobSink() = default;
  virtual ~BlobSink() = default;
  BlobSink(const BlobSink&) = delete;
  BlobSink& operator=(const BlobSink&) = delete;
  // Stores `bytes` durably in the log's cluster (returns once stored) and returns their
  // SHA-256 in lower-case hex. Unavailable: put it again later.
  virtual base::Result<std::string> Put(std::string_view bytes) = 0;
};

// The tenant a serialized BusFrame belongs to. Corruption when the frame itself does not
// parse (an outbox entry is always a BusFrame the adapter wrote).
base::Result<std::string> TenantOfFrame(std::string_view frame_bytes);

// The frame to append for `frame_bytes`: every blob with data is put into `blobs` (its
// uncompressed bytes, stored under its sha256) and carried with empty data, no compression
// and in_blob_store = true. The frame unchanged when it has no blobs. The first failed Put
// is returned (nothing is appended then); Corruption when a blob's bytes do not match its
// sha256 or cannot be decompressed.
base::Result<std::string> FrameWithBlobsStored(std::string_view frame_bytes, BlobSink& blobs);

// `frame_bytes` (a serialized BusFrame without them) with partition_prev and acked_floor set
// (docs/cluster.md, "Acks with several partitions"): the two fields are appended, which a
// protobuf parser merges into the frame, so a large frame is not parsed again.
std::string FrameWithPartitionOrder(std::string frame_bytes, uint64_t partition_prev, uint64_t acked_floor);

}  // namespace omnihub::bus
