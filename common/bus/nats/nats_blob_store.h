// Blobs in cluster mode (attachments and raw messages, up to the 25 MiB email limit): a
// partition stream takes frames of at most the server's max_payload (1 MiB by default), so
// the bytes travel on their own, content-addressed, in the stream OMNI_BLOBS, and the
// event's frame names them by SHA-256 (docs/cluster.md, "Blobs"). An adapter calls Put for
// every blob of an entry and appends the frame only after they all returned OK, so a
// replica that applies the frame finds its blobs.
//
// Layout: chunk i of the blob with SHA-256 H (64 hex digits) is one message on the subject
// omni.blobs.H.i, with the headers Omni-Blob-Size (the blob's bytes) and Omni-Blob-Chunks
// (how many chunks) and the Nats-Msg-Id "blob/H/i". The stream keeps one message per subject
// (a blob put twice is stored once) and no other limit. Get reads the chunks by subject,
// reassembles them and checks the size and the SHA-256.
//
// Thread-safety: thread-safe (the NATS connection is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bus/nats/nats_connection.h"
#include "common/base/status.h"

namespace omnihub::bus::nats {

inline constexpr char kBlobStream[] = "OMNI_BLOBS";

struct BlobStoreOptions {
  int replicas = 3;
  // Bytes per chunk; lowered to fit the server's max_payload when that is smaller.
  int64_t chunk_bytes = 1 << 20;
  // How long each chunk's publish waits for the stream's acknowledgement.
  int64_t publish_timeout_ms = 2000;
  // The largest blob Put accepts (the email size limit).
  int64_t max_blob_bytes = 25 << 20;
};

class NatsBlobStore {
 public:
  // `connection` must outlive the store.
  NatsBlobStore(NatsConnection& connection, BlobStoreOptions options);

  // Creates the OMNI_BLOBS stream when it does not exist (idempotent).
  base::Status EnsureStream();
  // Stores `bytes` and returns their SHA-256 in hex. A blob already stored whole is not
  // sent again. InvalidArgument when larger than max_blob_bytes; Unavailable when a chunk
  // was not acknowledged in time (Put again: chunks already stored are replaced by the same
  // bytes).
  base::Result<std::string> Put(std::string_view bytes);
  // The blob whose SHA-256 is `sha256_hex`. NotFound when a chunk is missing; Corruption
  // when the chunks do not add up to the size and hash they claim.
  base::Result<std::string> Get(std::string_view sha256_hex);

  // The chunk size in use (chunk_bytes, or less to fit the server's max_payload).
  int64_t chunk_bytes() const;

 private:
  NatsConnection& connection_;
  const BlobStoreOptions options_;
};

}  // namespace omnihub::bus::nats
