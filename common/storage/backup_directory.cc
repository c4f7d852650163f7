#include "common/storage/backup_directory.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include "common/storage/rocksdb_status.h"

namespace omnihub::storage {
namespace {

namespace fs = std::filesystem;

BackupSummary Summarize(const rocksdb::BackupInfo& info) {
  return {info.backup_id, info.timestamp, info.size, info.number_files, info.app_metadata};
}

// BackupEngine keeps one description per backup in meta/; without it the directory is not
// (yet) a backup directory, which a read-only open would report only as "no backups".
base::Status RequireBackupDirectory(const std::string& backup_dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(backup_dir) / "meta", ec)) {
    return base::Status::NotFound(backup_dir + " is not a backup directory (it has no meta/; make one with "
                                  "'omnihubctl backup create " + backup_dir + "')");
  }
  return base::Status::Ok();
}

base::Result<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenReadOnly(const std::string& backup_dir) {
  OMNIHUB_RETURN_IF_ERROR(RequireBackupDirectory(backup_dir));
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  const rocksdb::IOStatus s =
      rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir), &raw);
  if (!s.ok()) return FromRocksDb(s, "opening backup directory " + backup_dir);
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

base::Status RequireEmptyTarget(const std::string& target_dir) {
  std::error_code ec;
  if (!fs::exists(target_dir, ec)) return base::Status::Ok();
  if (!fs::is_directory(target_dir, ec)) {
    return base::Status::FailedPrecondition("restore target " + target_dir + " exists and is not a directory");
  }
  if (!fs::is_empty(target_dir, ec)) {
    return base::Status::FailedPrecondition("restore target " + target_dir +
                                            " is not empty: restore into a new directory, or move this one aside "
                                            "first (nothing was written)");
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<CreatedBackup> CreateBackup(rocksdb::DB* db, const std::string& backup_dir,
                                         const CreateBackupOptions& options) {
  if (backup_dir.empty()) return base::Status::InvalidArgument("the backup directory is empty");
  std::error_code ec;
  fs::create_directories(backup_dir, ec);
  if (ec) return base::Status::IoError("creating backup directory " + backup_dir + ": " + ec.message());
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir), &raw);
  if (!s.ok()) return FromRocksDb(s, "opening backup directory " + backup_dir);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);

  rocksdb::CreateBackupOptions create;
  // The flush makes the WAL unnecessary: the backup is SST and blob files, no log to replay.
  create.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  s = engine->CreateNewBackupWithMetadata(create, db, options.app_metadata, &id);
  if (!s.ok()) return FromRocksDb(s, "creating a backup in " + backup_dir);

  CreatedBackup out;
  if (options.keep > 0) {
    std::vector<rocksdb::BackupInfo> before;
    engine->GetBackupInfo(&before);
    s = engine->PurgeOldBackups(options.keep);
    if (!s.ok()) return FromRocksDb(s, "purging old backups in " + backup_dir);
    out.purged = before.size() > options.keep ? static_cast<uint32_t>(before.size() - options.keep) : 0;
  }
  rocksdb::BackupInfo info;
  const rocksdb::Status got = engine->GetBackupInfo(id, &info);
  if (!got.ok()) return FromRocksDb(got, "reading backup " + std::to_string(id));
  out.backup = Summarize(info);
  return out;
}

base::Result<std::vector<BackupSummary>> ListBackups(const std::string& backup_dir) {
  auto engine = OpenReadOnly(backup_dir);
  if (!engine.ok()) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  std::vector<BackupSummary> out;
  out.reserve(infos.size());
  for (const auto& info : infos) out.push_back(Summarize(info));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.backup_id < b.backup_id; });
  return out;
}

base::Result<std::vector<BackupCheck>> VerifyBackups(const std::string& backup_dir, std::optional<uint32_t> only) {
  auto engine = OpenReadOnly(backup_dir);
  if (!engine.ok()) return engine.status();
  std::vector<BackupCheck> checks;
  std::vector<rocksdb::BackupID> corrupt;
  (*engine)->GetCorruptedBackups(&corrupt);
  for (rocksdb::BackupID id : corrupt) {
    if (only.has_value() && *only != id) continue;
    checks.push_back({id, base::Status::Corruption("backup " + std::to_string(id) + ": its description in " +
                                                   backup_dir + "/meta/" + std::to_string(id) +
                                                   " is unreadable or names missing files")});
  }
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  for (const auto& info : infos) {
    if (only.has_value() && *only != info.backup_id) continue;
    const rocksdb::IOStatus s = (*engine)->VerifyBackup(info.backup_id, /*verify_with_checksum=*/true);
    checks.push_back({info.backup_id, FromRocksDb(s, "backup " + std::to_string(info.backup_id))});
  }
  if (only.has_value() && checks.empty()) {
    return base::Status::NotFound("no backup " + std::to_string(*only) + " in " + backup_dir);
  }
  std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.backup_id < b.backup_id; });
  return checks;
}

base::Result<BackupSummary> RestoreBackup(const std::string& backup_dir, std::optional<uint32_t> backup_id,
                                          const std::string& target_dir) {
  OMNIHUB_RETURN_IF_ERROR(RequireEmptyTarget(target_dir));
  auto engine = OpenReadOnly(backup_dir);
  if (!engine.ok()) return engine.status();
  rocksdb::BackupInfo info;
  const rocksdb::Status found =
      backup_id.has_value() ? (*engine)->GetBackupInfo(*backup_id, &info) : (*engine)->GetLatestBackupInfo(&info);
  if (!found.ok()) {
    return base::Status::NotFound(backup_id.has_value()
                                      ? "no readable backup " + std::to_string(*backup_id) + " in " + backup_dir
                                      : "no readable backup in " + backup_dir);
  }
  // A restore copies the files without looking at their contents: check them first, so a
  // damaged backup is refused before anything is written.
  const rocksdb::IOStatus verified = (*engine)->VerifyBackup(info.backup_id, /*verify_with_checksum=*/true);
  if (!verified.ok()) {
    return FromRocksDb(verified, "backup " + std::to_string(info.backup_id) + " failed verification, not restored");
  }
  std::error_code ec;
  fs::create_directories(target_dir, ec);
  if (ec) return base::Status::IoError("creating restore target " + target_dir + ": " + ec.message());
  const rocksdb::IOStatus s =
      (*engine)->RestoreDBFromBackup(rocksdb::RestoreOptions(), info.backup_id, target_dir, target_dir);
  if (!s.ok()) return FromRocksDb(s, "restoring backup " + std::to_string(info.backup_id) + " into " + target_dir);
  return Summarize(info);
}

}  // namespace omnihub::storage
