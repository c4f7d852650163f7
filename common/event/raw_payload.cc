#include "common/event/raw_payload.h"

#include "common/base/compression.h"
#include "common/base/sha256.h"
#include "common/base/coding.h"

namespace omnihub::event {

std::string BlobRef(std::string_view sha256) { return "blob:" + base::HexEncode(sha256); }

v1::Blob AttachRawPayload(std::string_view raw, std::string_view media_type, RawCompression compression,
                          v1::Event* event) {
  const std::string sha = base::Sha256(raw);
  const bool zstd = compression == RawCompression::kZstd;
  v1::Blob blob;
  blob.set_sha256(sha);
  blob.set_data(zstd ? base::ZstdCompress(raw) : std::string(raw));
  blob.set_compression(zstd ? "zstd" : "");
  blob.set_size_bytes(raw.size());
  blob.set_media_type(std::string(media_type));
  auto* ref = event->mutable_raw();
  ref->set_store("blob");
  ref->set_key(BlobRef(sha));
  ref->set_size_bytes(raw.size());
  ref->set_media_type(std::string(media_type));
  ref->set_compression(blob.compression());
  return blob;
}

}  // namespace omnihub::event
