#include "services/unifier/erasure/purge.h"

#include <string>
#include <vector>

#include <rocksdb/options.h>

namespace omnihub::unifier {
namespace {

constexpr std::chrono::milliseconds kDefaultWait{60'000};

base::Status RollManifest(Store& store);

base::Status CompactStore(Store& store) {
  rocksdb::DB* db = store.db();
  rocksdb::FlushOptions flush;
  flush.wait = true;
  // Every memtable goes to an SST, so the write-ahead logs before now hold nothing live.
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db->Flush(flush, store.all_column_families()), "flush"));
  rocksdb::CompactRangeOptions compact;
  // Rewrites the bottommost level too: a Delete only hides a value until the file holding
  // the value is rewritten, and a tombstone is dropped only at the bottom.
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  // Blob files (blobs CF) are rewritten whole, so a file that held an erased blob is gone
  // even when it also holds blobs others still need.
  compact.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  compact.blob_garbage_collection_age_cutoff = 1.0;
  for (auto* cf : store.all_column_families()) {
    OMNIHUB_RETURN_IF_ERROR(FromRocks(db->CompactRange(compact, cf, nullptr, nullptr), "compact " + cf->GetName()));
  }
  OMNIHUB_RETURN_IF_ERROR(RollManifest(store));
  // Obsolete files (compaction inputs, flushed logs, the old manifest) are deleted by background jobs; a
  // disable/enable round deletes them now (EnableFileDeletions purges what is obsolete). Not
  // forced: a backup that disabled deletions keeps its files until it ends.
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db->DisableFileDeletions(), "disable file deletions"));
  return FromRocks(db->EnableFileDeletions(/*force=*/false), "enable file deletions");
}

base::Result<std::string> ManifestName(rocksdb::DB* db) {
  std::vector<std::string> files;
  uint64_t manifest_size = 0;
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db->GetLiveFiles(files, &manifest_size, /*flush_memtable=*/false), "live files"));
  for (const auto& f : files) {
    if (f.find("MANIFEST-") != std::string::npos) return f;
  }
  return base::Status::Internal("no MANIFEST among the live files");
}

// The MANIFEST keeps the first and last key of every SST file it ever listed, so an erased
// identity can survive there as a file boundary. It is replaced by a fresh one (live files
// only) once it grows past max_manifest_file_size (kMaxManifestBytes), and RocksDB has no
// other way to ask for that on an open database: flushing padding keys into the default
// column family (unused by the store) grows it there; the padding is then deleted again.
base::Status RollManifest(Store& store) {
  rocksdb::DB* db = store.db();
  auto* cf = db->DefaultColumnFamily();
  auto before = ManifestName(db);
  if (!before.ok()) return before.status();
  // Each flush logs the padding key twice (first and last key of its file).
  constexpr size_t kPadBytes = 256 << 10;
  constexpr int kMaxRounds = 2 * static_cast<int>(kMaxManifestBytes / (2 * kPadBytes)) + 2;
  std::vector<std::string> pads;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto now = ManifestName(db);
    if (!now.ok()) return now.status();
    if (*now != *before) break;
    std::string pad = "purge-padding/" + std::to_string(round) + "/";
    pad.resize(kPadBytes, '.');
    rocksdb::WriteOptions wo;
    wo.disableWAL = true;  // flushed at once; nothing to recover
    OMNIHUB_RETURN_IF_ERROR(FromRocks(db->Put(wo, cf, pad, ""), "write manifest padding"));
    rocksdb::FlushOptions flush;
    OMNIHUB_RETURN_IF_ERROR(FromRocks(db->Flush(flush, cf), "flush manifest padding"));
    pads.push_back(std::move(pad));
  }
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  for (const auto& pad : pads) OMNIHUB_RETURN_IF_ERROR(FromRocks(db->Delete(wo, cf, pad), "delete manifest padding"));
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db->Flush(rocksdb::FlushOptions(), cf), "flush"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db->CompactRange(compact, cf, nullptr, nullptr), "compact padding");
}

}  // namespace

base::Status Purge(Store& store, SearchBackend* search, const v1::PurgeRequest& request, v1::PurgeResponse* out) {
  if (search != nullptr) {
    const auto wait = request.timeout_ms() == 0 ? kDefaultWait : std::chrono::milliseconds(request.timeout_ms());
    if (!search->WaitIndexed(request.after_change_seq(), wait)) {
      return base::Status::Unavailable("the search index has not applied change " +
                                       std::to_string(request.after_change_seq()) + " after " +
                                       std::to_string(wait.count()) + " ms; nothing was compacted, retry the purge");
    }
  }
  OMNIHUB_RETURN_IF_ERROR(CompactStore(store));
  out->add_directories(store.db()->GetName());
  if (search != nullptr) {
    auto dir = search->Compact();
    if (!dir.ok()) return dir.status().WithContext("compact the search index");
    out->add_directories(*dir);
    out->set_indexed_change_seq(search->indexed_change_seq());
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
