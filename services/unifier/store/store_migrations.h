// The steps between storage layout versions (meta `layout_version`, docs/storage-format.md
// #migrations): an ordered list of migrations, each turning a store of layout N into layout
// N + 1. Store::Open runs the ones a directory needs, oldest first, each in its own synced
// WriteBatch together with its version bump, so a crash leaves the store at a whole version
// and the next open carries on from there.
//
// Thread-safety: MigrateStore runs inside Store::Open, before anyone else uses the store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"

namespace omnihub::unifier {

class Store;

struct StoreMigration {
  uint64_t from = 0;        // the layout it reads; it writes from + 1
  std::string description;  // logged when it runs: what changes and why
  // Adds the step's writes to `batch`, reading the store as the previous layout left it.
  // The version bump is added by MigrateStore; an error leaves the store untouched.
  std::function<base::Status(Store& store, rocksdb::WriteBatch* batch)> apply;
};

// The layout a build reads and writes, and how to get there from each older one.
struct StoreLayoutPlan {
  uint64_t version = 0;
  std::vector<StoreMigration> migrations;  // from 1 up to version - 1, in order
};

// This build's: kLayoutVersion, and the step from each older layout (1 -> 2: tenants).
const StoreLayoutPlan& CurrentStoreLayout();

// Brings `store`, found at layout `found` (< plan.version), to plan.version. FailedPrecondition
// naming the missing step when the plan has no migration from some version on the way.
base::Status MigrateStore(Store& store, uint64_t found, const StoreLayoutPlan& plan);

}  // namespace omnihub::unifier
