// The one mapping from RocksDB's status onto ours, so every store reports the same kinds of
// failure the same way: Corruption (dead-letter and alert), NotFound, Unavailable for what
// a retry may fix (busy, timed out, try again), IoError for the rest (disk, sync).
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include <rocksdb/status.h>

#include "common/base/status.h"

namespace omnihub::storage {

// Ok for an ok `s`; otherwise the mapped code with the message "<what>: <RocksDB's text>".
base::Status FromRocksDb(const rocksdb::Status& s, std::string_view what);

}  // namespace omnihub::storage
