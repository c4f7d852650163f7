// Where a cluster replica is in its partition log, stored in meta with every applied batch
// (in its WriteBatch, so position and data are never apart): the stream position of the
// last frame applied, the stream's created_ns (which incarnation of the stream that
// position belongs to) and that frame's message id. A restart reads it and reads the log
// from the next position (LogReadStart); a backup's checkpoint carries it, so a replica
// rebuilt from a peer goes on from there.
//
// meta keys (docs/cluster.md, "Unifier replicas"):
//   replica/cursor            0x01 | fixed64 BE position | fixed64 BE created_ns | message id
//   replica/mark/<publisher>  publisher_marks.h EncodeMark
//
// Thread-safety: plain values and functions; reads go through the thread-safe Store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/bus/partition_log.h"
#include "services/unifier/replica/publisher_marks.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::replica {

inline constexpr char kMetaReplicaCursor[] = "replica/cursor";
inline constexpr char kMetaReplicaMarkPrefix[] = "replica/mark/";

struct ReplicaCursor {
  uint64_t position = 0;  // 0: nothing applied yet
  int64_t created_ns = 0;
  std::string message_id = {};

  // Where the log reader starts: after `position`, on the same stream incarnation.
  bus::LogReadStart ReadStart() const { return {position + 1, created_ns, message_id}; }
  bool operator==(const ReplicaCursor&) const = default;
};

std::string EncodeCursor(const ReplicaCursor& cursor);
base::Result<ReplicaCursor> DecodeCursor(std::string_view bytes);

// The stored cursor; a default one (position 0) for a store that applied no log yet.
base::Result<ReplicaCursor> ReadCursor(Store& store, const rocksdb::Snapshot* snapshot = nullptr);
// Every stored publisher mark.
base::Result<std::map<std::string, PublisherMark>> ReadMarks(Store& store);

}  // namespace omnihub::unifier::replica
