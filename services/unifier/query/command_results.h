// How the unifier answered a command (command_results CF), and the kept erasure receipts
// (erasures CF). omnihubctl reads these once the command's frame is acknowledged.
//
// Thread-safety: pure reads through the thread-safe Store, each from the given snapshot.
#pragma once

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// NotFound while the command is not committed.
base::Status GetCommandResult(Store& store, const v1::CommandResultRequest& request, const rocksdb::Snapshot* snapshot,
                              v1::CommandResultResponse* out);

// Every kept receipt, in erasure id order (which is time order: the ids are UUIDv7).
base::Status ListErasures(Store& store, const rocksdb::Snapshot* snapshot, v1::ErasureListResponse* out);

}  // namespace omnihub::unifier
