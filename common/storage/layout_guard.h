// Refusing a RocksDB directory that a newer build wrote, before opening it for writing.
//
// RocksDB itself refuses a database with a column family the opener does not name ("Column
// families not opened: ..."), which tells an operator nothing about versions. A store
// describes what this build reads (LayoutExpectation); CheckNotNewer reads the directory's
// column family names (DB::ListColumnFamilies) and its layout version and writer from the
// meta column family, opened read-only on its own (RocksDB opens a subset of column families
// read-only), and refuses with one message that names the layout found, the build that wrote
// it, this build's layout and what to do. Used by the unifier's store and by the outboxes
// (docs/storage-format.md#refusing-a-newer-directory).
//
// Thread-safety: free functions; CheckNotNewer reads the directory and writes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/env.h>

#include "common/base/status.h"

namespace omnihub::storage {

// What a store of this build reads.
struct LayoutExpectation {
  std::string_view kind;  // first word(s) of the message: "data directory", "outbox"
  uint64_t version = 1;   // the layout version this build reads and writes
  std::vector<std::string> column_families;  // every one this build opens, "default" included
  std::string meta_column_family;            // where the two keys below live
  std::string version_key;
  // The layout of a directory without version_key: 0 for a store that writes the key at
  // creation (no key: nothing was written yet), 1 for one whose first layout writes none.
  uint64_t version_when_absent = 0;
  std::string written_by_key;                // empty: this store records no writer
  // The stored values' decoders (each store frames its values its own way).
  std::function<base::Result<uint64_t>(std::string_view)> decode_version;
  std::function<base::Result<std::string>(std::string_view)> decode_written_by;
};

// What a directory holds, as far as deciding whether this build may open it goes.
struct FoundLayout {
  std::optional<uint64_t> version;           // nullopt: no version key, or meta unreadable
  std::string written_by;                    // empty: not recorded
  std::vector<std::string> unknown_column_families;  // in the directory, not in the expectation
};

// FailedPrecondition with the refusal message when `found` is newer than `expected` (a higher
// layout version, or a column family this build does not know); Ok otherwise.
base::Status RefuseIfNewer(const std::string& dir, const LayoutExpectation& expected, const FoundLayout& found);

// Reads `dir`'s layout and refuses it when newer. Ok for a directory with no database yet.
// When the read-only open fails (the directory is busy or damaged) and no column family is
// unknown, it is Ok too: the normal open that follows reports the real problem.
base::Status CheckNotNewer(const std::string& dir, const LayoutExpectation& expected, rocksdb::Env* env = nullptr);

}  // namespace omnihub::storage
