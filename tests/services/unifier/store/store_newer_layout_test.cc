// A data directory that a newer build wrote is refused by Store::Open with a message naming
// what was found and what to do (common/storage/layout_guard.h), not RocksDB's "Column
// families not opened"; and every open records the build in meta written_by.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "common/base/build_version.h"
#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"
#include "tests/support/newer_layout.h"

namespace omnihub::unifier {
namespace {

class StoreNewerLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Store::Open(path_).ok()); }

  void MakeNewer(const std::string& column_family, std::vector<std::pair<std::string, std::string>> meta) {
    const rocksdb::Status s = omnihub::testing::MakeNewerLayout(path_, column_family, kCfMeta, meta);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::string Refusal(const std::string& found) {
    return "data directory " + path_ + " was written by a newer omnihub (" + found + "); this build reads layout " +
           std::to_string(kLayoutVersion) +
           ". Install the newer build again, or restore a backup taken before the upgrade "
           "(docs/operations.md#upgrading).";
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.path() + "/db";
};

TEST_F(StoreNewerLayoutTest, AHigherLayoutWithAnUnknownColumnFamilyIsRefusedNamingBoth) {
  MakeNewer("contacts", {{kMetaLayoutVersion, base::EncodeFixed64BE(kLayoutVersion + 1)},
                         {kMetaWrittenBy, EncodeRawValue("omnihub 0.3.0")}});
  auto store = Store::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            Refusal("omnihub 0.3.0, layout " + std::to_string(kLayoutVersion + 1) + ", unknown column families: contacts"));
}

TEST_F(StoreNewerLayoutTest, AnUnknownColumnFamilyAloneIsRefused) {
  // How statuses and amendments were added: a new column family, the same layout version.
  MakeNewer("contacts", {});
  auto store = Store::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message(),
            Refusal(std::string(base::BuildVersion()) + ", layout " + std::to_string(kLayoutVersion) +
                    ", unknown column families: contacts"));
}

TEST_F(StoreNewerLayoutTest, AHigherLayoutAloneIsRefused) {
  {
    // Every column family of this build, so the check is the layout version itself.
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE((*store)->db()->Put(sync, (*store)->meta(), kMetaLayoutVersion,
                                    base::EncodeFixed64BE(kLayoutVersion + 1)).ok());
  }
  auto store = Store::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message(), Refusal(std::string(base::BuildVersion()) + ", layout " +
                                              std::to_string(kLayoutVersion + 1)));
}

TEST_F(StoreNewerLayoutTest, TheRefusalChangesNothingInTheDirectory) {
  MakeNewer("contacts", {{kMetaLayoutVersion, base::EncodeFixed64BE(kLayoutVersion + 1)}});
  ASSERT_FALSE(Store::Open(path_).ok());
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path_, &names).ok());
  EXPECT_NE(std::find(names.begin(), names.end(), "contacts"), names.end());
  // A newer build opens it as it left it (here: raw RocksDB with every column family).
  ASSERT_TRUE(omnihub::testing::MakeNewerLayout(path_, "second", kCfMeta, {}).ok());
}

TEST_F(StoreNewerLayoutTest, EveryOpenRecordsThisBuildAsTheLastWriter) {
  auto written_by = [](Store& store) -> std::string {
    auto raw = store.GetRaw(store.meta(), kMetaWrittenBy);
    if (!raw.ok() || !raw->has_value()) return "(none)";
    auto text = DecodeRawValue(**raw, "written_by");
    return text.ok() ? std::string(*text) : "(unreadable)";
  };
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(written_by(**store), base::BuildVersion());
    EXPECT_TRUE(written_by(**store).starts_with("omnihub ")) << written_by(**store);
    // As an older build of the same layout would have left it.
    ASSERT_TRUE((*store)->db()->Put(rocksdb::WriteOptions(), (*store)->meta(), kMetaWrittenBy,
                                    EncodeRawValue("omnihub 0.0.9")).ok());
  }
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(written_by(**store), base::BuildVersion());
}

}  // namespace
}  // namespace omnihub::unifier
