#include "services/unifier/store/store_migrations.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/identity/tenant_identity_keys.h"

namespace omnihub::unifier {
namespace {

// Layout 1 -> 2. Layout 2 keys the identities (and handle index entries) of a tenant other than
// "default" under the tenant's prefix (identity/tenant_identity_keys.h) and lets customers name
// their tenant; the default tenant's keys and values are layout 1's. A layout-1 store was
// written before tenants, so it is the default tenant's and nothing is rewritten. The step
// checks that premise instead of trusting it: a key under a tenant prefix in a layout-1 store
// was not written by a layout-1 build, and migrating would hand it to a tenant unasked.
base::Status MigrateToTenants(Store& store, rocksdb::WriteBatch* /*batch*/) {
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.identities()));
  it->Seek(std::string(1, kTenantKeyMarker));
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan identities"));
  if (it->Valid()) {
    return base::Status::Corruption("the identities column family of a layout-1 store holds a key with a tenant prefix (" +
                                    base::HexEncode(it->key().ToString().substr(0, 16)) +
                                    "...), which layout 1 never wrote: restore a backup");
  }
  return base::Status::Ok();
}

}  // namespace

const StoreLayoutPlan& CurrentStoreLayout() {
  // A key layout change adds its step here, {from = N, description, apply}, with a test
  // that opens a directory written by the layout-N writer (tests/services/unifier/store).
  static const StoreLayoutPlan plan{
      .version = kLayoutVersion,
      .migrations = {{.from = 1,
                      .description = "tenants: the records of a layout-1 store are the default tenant's, whose keys "
                                     "have no tenant prefix; checking that no key has one",
                      .apply = MigrateToTenants}}};
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
