// BlobSource (blob_fill.h) reading cluster mode's blob stream OMNI_BLOBS through
// bus::nats::NatsBlobStore.
//
// Thread-safety: thread-safe (the blob store is).
#pragma once

#include "common/bus/nats/nats_blob_store.h"
#include "services/unifier/replica/blob_fill.h"

namespace omnihub::unifier::replica {

class NatsBlobSource final : public BlobSource {
 public:
  // `store` must outlive the source.
  explicit NatsBlobSource(bus::nats::NatsBlobStore& store) : store_(store) {}
  base::Result<std::string> Get(std::string_view sha256_hex) override { return store_.Get(sha256_hex); }

 private:
  bus::nats::NatsBlobStore& store_;
};

}  // namespace omnihub::unifier::replica
