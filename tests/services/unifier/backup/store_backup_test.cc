// A backup request answered by QueryService on a real store in a temp dir: what the backup
// holds (events, marks, the erasure secret), its metadata, and a restore that opens.
#include "services/unifier/backup/store_backup.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "common/storage/backup_directory.h"
#include "common/storage/backup_metadata.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::TempDir;
using testing::UnifierHarness;

class StoreBackupTest : public ::testing::Test {
 protected:
  void Ingest(uint64_t first_seq, int n) {
    std::vector<std::string> frames;
    for (int i = 0; i < n; ++i) {
      const uint64_t seq = first_seq + static_cast<uint64_t>(i);
      frames.push_back(UnifierHarness::Frame(
          "sms-0000000000000001", seq,
          hub_.MakeEvent(v1::SMS, "SM" + std::to_string(seq), Phone("+1555000" + std::to_string(1000 + seq % 7)),
                         1'700'000'000'000'000 + static_cast<int64_t>(seq))));
    }
    hub_.Process(std::move(frames));
  }

  v1::QueryResponse Backup(const std::string& dir, uint32_t keep = 0) {
    QueryService service(hub_.store(), hub_.normalizer(), {}, nullptr, &hub_.clock());
    v1::QueryRequest request;
    request.mutable_backup()->set_backup_dir(dir);
    request.mutable_backup()->set_keep(keep);
    return service.Handle(request);
  }

  UnifierHarness hub_;
  TempDir tmp_;
};

TEST_F(StoreBackupTest, BackupAnswersItsIdCountersAndMarksAndRecordsMetadata) {
  Ingest(1, 5);
  const std::string dir = tmp_.path() + "/backups";
  v1::QueryResponse first = Backup(dir);
  ASSERT_FALSE(first.has_error()) << first.error().message();
  EXPECT_EQ(first.backup().backup_id(), 1u);
  EXPECT_EQ(first.backup().events(), 5u);
  EXPECT_EQ(first.backup().created_at_us(), hub_.clock().NowMicros());
  EXPECT_GT(first.backup().size_bytes(), 0u);
  ASSERT_EQ(first.backup().publishers_size(), 1);
  EXPECT_EQ(first.backup().publishers(0).high_water(), 5u);

  Ingest(6, 3);
  v1::QueryResponse second = Backup(dir);
  ASSERT_FALSE(second.has_error()) << second.error().message();
  EXPECT_EQ(second.backup().backup_id(), 2u);
  EXPECT_EQ(second.backup().events(), 8u);

  auto listed = storage::ListBackups(dir);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  auto metadata = storage::ParseBackupMetadata((*listed)[1].app_metadata);
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->events, 8u);
  EXPECT_EQ(metadata->layout_version, kLayoutVersion);
  EXPECT_EQ(metadata->hub_version, HubVersion());
  EXPECT_EQ(metadata->last_change_seq, second.backup().last_change_seq());
  EXPECT_GT(metadata->last_change_seq, first.backup().last_change_seq());
}

TEST_F(StoreBackupTest, KeepPurgesTheOldestBackups) {
  const std::string dir = tmp_.path() + "/backups";
  for (uint64_t i = 0; i < 3; ++i) {
    Ingest(i + 1, 1);
    ASSERT_FALSE(Backup(dir, 2).has_error());
  }
  auto listed = storage::ListBackups(dir);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].backup_id, 2u);
  EXPECT_EQ((*listed)[1].backup_id, 3u);
}

TEST_F(StoreBackupTest, RestoredStoreHasTheEventsMarksAndErasureSecretOfTheBackup) {
  Ingest(1, 4);
  const std::string secret = hub_.store().erasure_secret();
  const std::string dir = tmp_.path() + "/backups";
  ASSERT_FALSE(Backup(dir).has_error());
  Ingest(5, 2);  // after the backup: not in it

  const std::string target = tmp_.path() + "/restored/unifier";
  auto restored = storage::RestoreBackup(dir, std::nullopt, target);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto store = Store::Open(target);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto counters = (*store)->ReadCounters();
  ASSERT_TRUE(counters.ok());
  EXPECT_EQ(counters->events, 4u);
  auto marks = (*store)->ReadHighWaterMarks();
  ASSERT_TRUE(marks.ok());
  EXPECT_EQ(marks->at("sms-0000000000000001"), 4u);
  EXPECT_EQ((*store)->erasure_secret(), secret);
}

TEST_F(StoreBackupTest, RelativeOrEmptyDirectoryIsRefusedWithTheReason) {
  v1::QueryResponse relative = Backup("backups");
  ASSERT_TRUE(relative.has_error());
  EXPECT_EQ(relative.error().code(), "invalid_argument");
  EXPECT_NE(relative.error().message().find("not an absolute path"), std::string::npos);
  v1::QueryResponse empty = Backup("");
  ASSERT_TRUE(empty.has_error());
  EXPECT_NE(empty.error().message().find("backup_dir is empty"), std::string::npos);
}

}  // namespace
}  // namespace omnihub::unifier
