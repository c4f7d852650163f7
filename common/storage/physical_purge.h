// Making deleted RocksDB data physically gone from a database's files (docs/erasure.md),
// for the unifier's store after an erasure and for an adapter's or omnihubctl's outbox:
// flush every memtable, compact every column family down to and including the bottommost
// level (and rewrite blob files), roll the MANIFEST over so it no longer lists the first
// and last keys of deleted files, and delete the files this made obsolete (SSTs, blob
// files, write-ahead logs, the old MANIFEST) now rather than when a background job gets to it.
//
// REQUIRES: the database was opened with max_manifest_file_size = `max_manifest_bytes` (the
// roll-over pads the MANIFEST past it), and no snapshot or iterator of it is held (compaction
// keeps what they can still see). `padding_cf` is a column family whose readers ignore keys
// starting with "purge-padding/" (the padding is deleted again before returning).
//
// Thread-safety: any thread; RocksDB's flush and compaction are thread-safe. Writes may go on.
#pragma once

#include <cstdint>
#include <vector>

#include "common/base/status.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace omnihub::storage {

// A MANIFEST size to open with: small enough to pad past cheaply, large enough that normal
// flushes and compactions roll it over rarely.
inline constexpr uint64_t kPurgeableManifestBytes = 4 << 20;

base::Status PurgeDeletedData(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& column_families,
                              rocksdb::ColumnFamilyHandle* padding_cf, uint64_t max_manifest_bytes);

}  // namespace omnihub::storage
