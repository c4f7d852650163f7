// A digest of the unifier's whole applied state: SHA-256 over every key and value of every
// column family, in key order, read from one snapshot. Two stores that applied the same log
// with the same apply version have equal digests (docs/storage-format.md, "Deterministic
// apply"); tests compare them, `omnihubctl digest` prints one, and cluster replicas will
// publish theirs to find a divergent one.
//
// Left out, because they are per replica and not applied state: meta `written_by` (the build
// that last opened this directory) and meta `secret/erasure` (the installation's key; what it
// keys, the erased_keys hashes, is included). RocksDB's own files (MANIFEST, OPTIONS, LOG,
// sequence numbers) are not key-values and are never read.
//
// Computed on demand by a full scan (milliseconds per ten thousand events), never per batch.
//
// Thread-safety: reads the thread-safe Store through a snapshot; safe beside the ingest thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct StateDigest {
  // Where the state is in the log. Single-host mode: the last committed change_seq.
  uint64_t applied_position = 0;
  // meta apply_version (kApplyVersion of the build that last opened the store).
  uint64_t apply_version = 0;
  // 64 hex digits: SHA-256 over, for each column family in name order, its name's length
  // (fixed64 BE), its name and its raw 32-byte digest.
  std::string digest;
  // Column family name -> 64 hex digits: SHA-256 over each included key and value in key
  // order, each as length (fixed64 BE) then bytes.
  std::map<std::string, std::string> column_families;
};

// True for the keys of column family `cf_name` that the digest leaves out (see above).
bool IsPerReplicaKey(const std::string& cf_name, std::string_view key);

// The digest of `store` as of `snapshot`. Null reads the latest state column family by
// column family, which is consistent only for a store nobody writes meanwhile (a test's).
base::Result<StateDigest> ComputeStateDigest(Store& store, const rocksdb::Snapshot* snapshot = nullptr);

}  // namespace omnihub::unifier
