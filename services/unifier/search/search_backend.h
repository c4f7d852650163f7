// What the query side needs of the full-text search index (docs/search.md): answering a
// search, and, for an erasure, waiting until the index has applied a change and rewriting it
// so that deleted documents are physically gone. The index itself (search/) follows the
// change log on a thread of its own, so ingest never waits for it.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::unifier {

class SearchBackend {
 public:
  virtual ~SearchBackend() = default;

  // Answers `request` among the messages of `tenant` ("" or "default": the default tenant).
  // Customer filters and each hit's customer id are resolved from the store at `snapshot`
  // (merges and splits need no re-indexing: documents name identities).
  virtual base::Status Search(const v1::SearchRequest& request, const rocksdb::Snapshot* snapshot,
                              v1::SearchResponse* out, std::string_view tenant) = 0;
  // Every change with change_seq <= this one is reflected in the index.
  virtual uint64_t indexed_change_seq() const = 0;
  // Waits until indexed_change_seq() >= `change_seq`; false after `timeout`.
  virtual bool WaitIndexed(uint64_t change_seq, std::chrono::milliseconds timeout) = 0;
  // Rewrites the index so that the bytes of deleted documents are gone from its files.
  // Returns the index's directory.
  virtual base::Result<std::string> Compact() = 0;
};

}  // namespace omnihub::unifier
