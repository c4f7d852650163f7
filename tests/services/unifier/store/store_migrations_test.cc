// The migration framework of the store's layout (store_migrations.h): test-only migrations on
// a store created at layout 1 by this build's writer, so that the steps under test are the
// only ones (this build's own step from layout 1 is tested in tenant_layout_migration_test).
#include "services/unifier/store/store_migrations.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

constexpr char kMarker[] = "test/migrated";

class StoreMigrationsTest : public ::testing::Test {
 protected:
  // A store written by this build's writer at layout 1, holding one counter to migrate from.
  void SetUp() override {
    static const StoreLayoutPlan kLayout1{.version = 1, .migrations = {}};
    auto store = Store::Open(path_, {.layout = &kLayout1});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    rocksdb::WriteBatch batch;
    StoreCounters counters;
    counters.events = 41;
    (*store)->WriteCounters(counters, &batch);
    ASSERT_TRUE((*store)->db()->Write(rocksdb::WriteOptions(), &batch).ok());
  }

  // A step that records it ran and writes a value derived from what the older layout holds.
  StoreMigration Step(uint64_t from) {
    return {.from = from,
            .description = "test step from " + std::to_string(from),
            .apply = [this, from](Store& store, rocksdb::WriteBatch* batch) -> base::Status {
              ran_.push_back(from);
              auto counters = store.ReadCounters();
              if (!counters.ok()) return counters.status();
              return FromRocks(batch->Put(store.meta(), std::string(kMarker) + std::to_string(from),
                                          std::to_string(counters->events + from)),
                               "stage");
            }};
  }

  static uint64_t Layout(Store& store) {
    auto raw = store.GetRaw(store.meta(), kMetaLayoutVersion);
    EXPECT_TRUE(raw.ok() && raw->has_value());
    return raw.ok() && raw->has_value() ? base::DecodeFixed64BE(**raw) : 0;
  }

  static std::string Marker(Store& store, uint64_t from) {
    auto raw = store.GetRaw(store.meta(), std::string(kMarker) + std::to_string(from));
    return raw.ok() && raw->has_value() ? **raw : "(none)";
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.path() + "/db";
  std::vector<uint64_t> ran_;
};

TEST_F(StoreMigrationsTest, ThisBuildReadsItsOwnLayoutWithEveryStepToIt) {
  const StoreLayoutPlan& plan = CurrentStoreLayout();
  EXPECT_EQ(plan.version, kLayoutVersion);
  ASSERT_EQ(plan.migrations.size(), plan.version - 1);
  for (uint64_t i = 0; i < plan.migrations.size(); ++i) EXPECT_EQ(plan.migrations[i].from, i + 1);
}

TEST_F(StoreMigrationsTest, AnOlderLayoutIsMigratedStepByStepAtOpen) {
  const StoreLayoutPlan plan{.version = 3, .migrations = {Step(1), Step(2)}};
  {
    auto store = Store::Open(path_, {.layout = &plan});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ(ran_, (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(Layout(**store), 3u);
    EXPECT_EQ(Marker(**store, 1), "42");
    EXPECT_EQ(Marker(**store, 2), "43");
  }
  // At its layout now: the next open runs nothing.
  auto again = Store::Open(path_, {.layout = &plan});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ran_, (std::vector<uint64_t>{1, 2}));
}

TEST_F(StoreMigrationsTest, AStoreAlreadyPartWayRunsOnlyTheRemainingSteps) {
  const StoreLayoutPlan to2{.version = 2, .migrations = {Step(1)}};
  ASSERT_TRUE(Store::Open(path_, {.layout = &to2}).ok());
  const StoreLayoutPlan to3{.version = 3, .migrations = {Step(1), Step(2)}};
  auto store = Store::Open(path_, {.layout = &to3});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(ran_, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Layout(**store), 3u);
}

TEST_F(StoreMigrationsTest, AFailedStepLeavesTheStoreAtTheLastWholeLayout) {
  StoreMigration failing = Step(2);
  failing.apply = [](Store& store, rocksdb::WriteBatch* batch) -> base::Status {
    batch->Put(store.meta(), "test/half-done", "x").PermitUncheckedError();
    return base::Status::IoError("disk full");
  };
  const StoreLayoutPlan plan{.version = 3, .migrations = {Step(1), failing}};
  auto store = Store::Open(path_, {.layout = &plan});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message(), "migration from layout 2: disk full");

  const StoreLayoutPlan to2{.version = 2, .migrations = {Step(1)}};
  auto reopened = Store::Open(path_, {.layout = &to2});
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(Layout(**reopened), 2u);
  EXPECT_EQ(Marker(**reopened, 1), "42");
  auto half = (*reopened)->GetRaw((*reopened)->meta(), "test/half-done");
  ASSERT_TRUE(half.ok());
  EXPECT_FALSE(half->has_value());
}

TEST_F(StoreMigrationsTest, AMissingStepIsRefusedNamingIt) {
  const StoreLayoutPlan plan{.version = 3, .migrations = {Step(2)}};
  auto store = Store::Open(path_, {.layout = &plan});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("has layout 1 and this build has no migration to layout 2"),
            std::string::npos)
      << store.status().message();
  EXPECT_TRUE(ran_.empty());
}

TEST_F(StoreMigrationsTest, ANewStoreStartsAtThePlansLayoutWithoutMigrating) {
  const StoreLayoutPlan plan{.version = 3, .migrations = {Step(1), Step(2)}};
  auto store = Store::Open(dir_.path() + "/fresh", {.layout = &plan});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Layout(**store), 3u);
  EXPECT_TRUE(ran_.empty());
}

}  // namespace
}  // namespace omnihub::unifier
