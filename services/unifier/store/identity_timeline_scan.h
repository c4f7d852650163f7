// Every timeline entry of one identity, oldest first: an iterator bounded to the identity's
// key range, so that it stops at the identity's last entry without reading the next one's
// (the timeline's prefix extractor and bloom filter serve the seek). One place for the
// bounds that counting, preview and erasure all need.
//
// Thread-safety: as a RocksDB iterator (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <rocksdb/db.h>

#include "services/unifier/store/store.h"

namespace omnihub::unifier {

class IdentityTimelineScan {
 public:
  // Positioned at the identity's oldest entry (not Valid() when it has none). `snapshot` may
  // be nullptr (the latest committed state). `store` must outlive the scan.
  IdentityTimelineScan(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot);
  IdentityTimelineScan(const IdentityTimelineScan&) = delete;
  IdentityTimelineScan& operator=(const IdentityTimelineScan&) = delete;

  rocksdb::Iterator& it() { return *it_; }

 private:
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice lower_slice_;
  const rocksdb::Slice upper_slice_;
  rocksdb::ReadOptions options_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace omnihub::unifier
