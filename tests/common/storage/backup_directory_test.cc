// A BackupEngine directory over a real RocksDB in a temp dir: verification finds a flipped
// byte and names the file, a restore refuses a non-empty target and a damaged backup.
#include "common/storage/backup_directory.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

namespace omnihub::storage {
namespace {

namespace fs = std::filesystem;

class BackupDirectoryTest : public ::testing::Test {
 protected:
  BackupDirectoryTest() {
    std::string tmpl = (fs::temp_directory_path() / "omnihub-backup-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(options, root_ + "/db", &raw).ok());
    db_.reset(raw);
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(db_->Put({}, "key" + std::to_string(i), std::string(100, 'v')).ok());
  }
  ~BackupDirectoryTest() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // The largest table file of the backups: one whose bytes a flip damages.
  std::string ATableFile() const {
    std::string found;
    uintmax_t size = 0;
    for (const auto& entry : fs::recursive_directory_iterator(backups())) {
      if (entry.path().extension() == ".sst" && entry.file_size() > size) {
        found = entry.path().string();
        size = entry.file_size();
      }
    }
    return found;
  }

  static void FlipByte(const std::string& path, std::streamoff at) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(at);
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(at);
    f.write(&c, 1);
  }

  std::string backups() const { return root_ + "/backups"; }

  std::string root_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_F(BackupDirectoryTest, VerifyPassesThenNamesTheBackupAndFileWithAFlippedByte) {
  auto created = CreateBackup(db_.get(), backups(), {"{}", 0});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto checks = VerifyBackups(backups());
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  ASSERT_EQ(checks->size(), 1u);
  EXPECT_TRUE((*checks)[0].status.ok()) << (*checks)[0].status.ToString();

  const std::string table = ATableFile();
  ASSERT_FALSE(table.empty());
  FlipByte(table, 10);
  checks = VerifyBackups(backups());
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  ASSERT_EQ(checks->size(), 1u);
  EXPECT_EQ((*checks)[0].status.code(), base::StatusCode::kCorruption) << (*checks)[0].status.ToString();
  EXPECT_NE((*checks)[0].status.message().find("backup 1"), std::string::npos) << (*checks)[0].status.message();
  EXPECT_NE((*checks)[0].status.message().find(fs::path(table).filename().string()), std::string::npos)
      << (*checks)[0].status.message();

  // A restore verifies first: nothing is written from a damaged backup.
  auto restored = RestoreBackup(backups(), std::nullopt, root_ + "/restored");
  EXPECT_EQ(restored.status().code(), base::StatusCode::kCorruption);
  EXPECT_FALSE(fs::exists(root_ + "/restored"));
}

TEST_F(BackupDirectoryTest, RestoreRefusesANonEmptyTargetAndRestoresIntoAnEmptyOne) {
  ASSERT_TRUE(CreateBackup(db_.get(), backups(), {"{}", 0}).ok());
  fs::create_directories(root_ + "/busy");
  std::ofstream(root_ + "/busy/CURRENT") << "x";
  auto refused = RestoreBackup(backups(), std::nullopt, root_ + "/busy");
  EXPECT_EQ(refused.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("is not empty"), std::string::npos);

  auto restored = RestoreBackup(backups(), 1, root_ + "/restored");
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), root_ + "/restored", &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  EXPECT_TRUE(db->Get({}, "key99", &value).ok());
}

TEST_F(BackupDirectoryTest, ListAndVerifyOfADirectoryWithoutBackupsSayWhatToDo) {
  auto listed = ListBackups(root_ + "/none");
  EXPECT_EQ(listed.status().code(), base::StatusCode::kNotFound);
  EXPECT_NE(listed.status().message().find("is not a backup directory"), std::string::npos);
  EXPECT_EQ(VerifyBackups(root_ + "/none").status().code(), base::StatusCode::kNotFound);
  ASSERT_TRUE(CreateBackup(db_.get(), backups(), {"{}", 0}).ok());
  EXPECT_EQ(VerifyBackups(backups(), 7).status().code(), base::StatusCode::kNotFound);
}

}  // namespace
}  // namespace omnihub::storage
