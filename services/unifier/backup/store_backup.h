// The unifier's side of `omnihubctl backup create` (docs/operations.md "Backups"): a backup of
// the open store into a BackupEngine directory while ingest goes on, with the metadata record
// (storage::BackupMetadata) of the counters when it began.
//
// What a backup holds: every column family of the store, meta included, so the per-publisher
// high-water marks and the erasure secret (meta kMetaErasureSecret) travel with the events.
// Not the search index: it is rebuilt from the store after a restore (search_index.h).
//
// Runs on the calling thread (the query thread): the only pause it causes ingest is
// RocksDB's flush of the memtables. Call it without holding a snapshot of the store.
//
// Thread-safety: any thread; backups into one directory must not run at once (the query
// thread answers one request at a time).
#pragma once

#include "common/base/env.h"
#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// The hub's version recorded with each backup (the project version of this build).
const char* HubVersion();

base::Status TakeStoreBackup(Store& store, base::Clock& clock, const v1::BackupRequest& request,
                             v1::BackupResponse* out);

}  // namespace omnihub::unifier
