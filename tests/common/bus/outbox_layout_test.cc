// An outbox directory that a newer build wrote (a column family this build does not know, a
// layout_version above 1) is refused by Outbox::Open with a message naming what was found
// and what to do, instead of RocksDB's "Column families not opened".
#include "common/bus/outbox.h"

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "common/base/coding.h"
#include "common/base/env.h"
#include "common/storage/versioned_value.h"
#include "tests/support/newer_layout.h"

namespace omnihub::bus {
namespace {

class OutboxLayoutTest : public ::testing::Test {
 protected:
  OutboxLayoutTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-outbox-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    dir_ = root_ + "/outbox";
  }
  ~OutboxLayoutTest() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  base::Status Open() {
    auto outbox = Outbox::Open(dir_, "test", random_);
    return outbox.ok() ? base::Status::Ok() : outbox.status();
  }

  static std::string LayoutKey() { return std::string(1, '\0') + kOutboxLayoutVersionKey; }

  std::string Refusal(const std::string& found) {
    return "outbox " + dir_ + " was written by a newer omnihub (" + found +
           "); this build reads layout 1. Install the newer build again, or restore a backup taken before "
           "the upgrade (docs/operations.md#upgrading).";
  }

  std::string root_;
  std::string dir_;
  base::SeededRandom random_{7};
};

TEST_F(OutboxLayoutTest, ThisBuildsOutboxOpensAgain) {
  ASSERT_TRUE(Open().ok());
  EXPECT_TRUE(Open().ok());
}

TEST_F(OutboxLayoutTest, AHigherLayoutWithAnUnknownColumnFamilyIsRefused) {
  ASSERT_TRUE(Open().ok());
  ASSERT_TRUE(omnihub::testing::MakeNewerLayout(
                  dir_, "entries_v2", "default",
                  {{LayoutKey(), storage::FrameValue(kOutboxValueVersion, base::EncodeFixed64BE(2))}})
                  .ok());
  const base::Status s = Open();
  EXPECT_EQ(s.code(), base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), Refusal("layout 2, unknown column families: entries_v2"));
}

TEST_F(OutboxLayoutTest, AnUnknownColumnFamilyAloneIsRefused) {
  ASSERT_TRUE(Open().ok());
  ASSERT_TRUE(omnihub::testing::MakeNewerLayout(dir_, "entries_v2", "default", {}).ok());
  EXPECT_EQ(Open().message(), Refusal("layout 1, unknown column families: entries_v2"));
}

TEST_F(OutboxLayoutTest, AHigherLayoutAloneIsRefused) {
  ASSERT_TRUE(Open().ok());
  ASSERT_TRUE(omnihub::testing::MakeNewerLayout(
                  dir_, "", "default",
                  {{LayoutKey(), storage::FrameValue(kOutboxValueVersion, base::EncodeFixed64BE(3))}})
                  .ok());
  EXPECT_EQ(Open().message(), Refusal("layout 3"));
}

}  // namespace
}  // namespace omnihub::bus
