#include "common/storage/physical_purge.h"

#include <string>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "common/storage/rocksdb_status.h"

namespace omnihub::storage {
namespace {

base::Result<std::string> ManifestName(rocksdb::DB* db) {
  std::vector<std::string> files;
  uint64_t manifest_size = 0;
  OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->GetLiveFiles(files, &manifest_size, /*flush_memtable=*/false), "live files"));
  for (const auto& f : files) {
    if (f.find("MANIFEST-") != std::string::npos) return f;
  }
  return base::Status::Internal("no MANIFEST among the live files");
}

rocksdb::CompactRangeOptions ForcedCompaction() {
  rocksdb::CompactRangeOptions compact;
  // Rewrites the bottommost level too: a Delete only hides a value until the file holding
  // it is rewritten, and a tombstone (which holds the key) is dropped only at the bottom.
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  // Blob files are rewritten whole, so a file that held a deleted blob goes even when it also
  // holds live ones.
  compact.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  compact.blob_garbage_collection_age_cutoff = 1.0;
  return compact;
}

// The MANIFEST logs the first and last key of every SST file it ever listed, so a deleted key
// can survive there as a file boundary. RocksDB replaces it by a fresh one (live files only)
// once it grows past max_manifest_file_size and has no other way to ask for that on an open
// database: flushing padding keys grows it; the padding is deleted again afterwards.
base::Status RollManifest(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, uint64_t max_manifest_bytes) {
  auto before = ManifestName(db);
  if (!before.ok()) return before.status();
  constexpr size_t kPadBytes = 256 << 10;  // each flush logs it twice (first and last key)
  const uint64_t max_rounds = max_manifest_bytes / (2 * kPadBytes) + 4;
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;  // flushed at once; nothing to recover
  std::vector<std::string> pads;
  for (uint64_t round = 0; round < max_rounds; ++round) {
    auto now = ManifestName(db);
    if (!now.ok()) return now.status();
    if (*now != *before) break;
    std::string pad = "purge-padding/" + std::to_string(round) + "/";
    pad.resize(kPadBytes, '.');
    OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->Put(wo, cf, pad, ""), "write manifest padding"));
    OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->Flush(rocksdb::FlushOptions(), cf), "flush manifest padding"));
    pads.push_back(std::move(pad));
  }
  for (const auto& pad : pads) OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->Delete(wo, cf, pad), "delete padding"));
  OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->Flush(rocksdb::FlushOptions(), cf), "flush"));
  return FromRocksDb(db->CompactRange(ForcedCompaction(), cf, nullptr, nullptr), "compact padding");
}

}  // namespace

base::Status PurgeDeletedData(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& column_families,
                              rocksdb::ColumnFamilyHandle* padding_cf, uint64_t max_manifest_bytes) {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  // Every memtable goes to an SST, so the write-ahead logs before now hold nothing live.
  OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->Flush(flush, column_families), "flush"));
  for (auto* cf : column_families) {
    OMNIHUB_RETURN_IF_ERROR(
        FromRocksDb(db->CompactRange(ForcedCompaction(), cf, nullptr, nullptr), "compact " + cf->GetName()));
  }
  OMNIHUB_RETURN_IF_ERROR(RollManifest(db, padding_cf, max_manifest_bytes));
  // Obsolete files are deleted by background jobs; a disable/enable round deletes them now
  // (EnableFileDeletions purges what is obsolete). Not forced: a backup that disabled
  // deletions keeps its files until it ends.
  OMNIHUB_RETURN_IF_ERROR(FromRocksDb(db->DisableFileDeletions(), "disable file deletions"));
  return FromRocksDb(db->EnableFileDeletions(/*force=*/false), "enable file deletions");
}

}  // namespace omnihub::storage
