#include "services/unifier/store/store_migrations.h"

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

const StoreLayoutPlan& CurrentStoreLayout() {
  // A key layout change adds its step here, {from = N, description, apply}, with a test
  // that opens a directory written by the layout-N writer (tests/services/unifier/store).
  static const StoreLayoutPlan plan{.version = kLayoutVersion, .migrations = {}};
  return plan;
}

base::Status MigrateStore(Store& store, uint64_t found, const StoreLayoutPlan& plan) {
  for (uint64_t at = found; at < plan.version; ++at) {
    const StoreMigration* step = nullptr;
    for (const auto& migration : plan.migrations) {
      if (migration.from == at) step = &migration;
    }
    if (step == nullptr) {
      return base::Status::FailedPrecondition(
          "store " + store.db()->GetName() + " has layout " + std::to_string(at) + " and this build has no migration to layout " +
          std::to_string(at + 1) + " (it reads layout " + std::to_string(plan.version) +
          "): upgrade through a build that has it, or restore a backup (docs/operations.md#upgrading)");
    }
    spdlog::info("store: migrating {} from layout {} to {}: {}", store.db()->GetName(), at, at + 1, step->description);
    rocksdb::WriteBatch batch;
    OMNIHUB_RETURN_IF_ERROR(step->apply(store, &batch).WithContext("migration from layout " + std::to_string(at)));
    OMNIHUB_RETURN_IF_ERROR(
        FromRocks(batch.Put(store.meta(), kMetaLayoutVersion, base::EncodeFixed64BE(at + 1)), "stage layout version"));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    OMNIHUB_RETURN_IF_ERROR(FromRocks(store.db()->Write(sync, &batch), "write migration to layout " + std::to_string(at + 1)));
    spdlog::info("store: {} is at layout {}", store.db()->GetName(), at + 1);
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
