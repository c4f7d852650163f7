// A directory of RocksDB backups (rocksdb::BackupEngine: incremental, every file checksummed):
// taking a backup of an open database, listing, verifying and restoring them. The unifier
// takes backups of its store (services/unifier/backup/); omnihubctl lists, verifies and
// restores them without a running hub, opening the directory read-only
// (docs/operations.md "Backups").
//
// Thread-safety: free functions; each opens its own BackupEngine. Concurrent calls on one
// directory are serialized by RocksDB within a process; across processes, only one may
// create or purge at a time (reads may run beside them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace omnihub::storage {

// One backup as BackupEngine records it.
struct BackupSummary {
  uint32_t backup_id = 0;
  int64_t created_at_s = 0;    // BackupEngine's timestamp: seconds since the Unix epoch
  uint64_t size_bytes = 0;     // its files' bytes, also those shared with other backups
  uint32_t files = 0;          // its files, also shared ones
  std::string app_metadata;    // what the creator recorded (the unifier: BackupMetadata JSON)
};

struct CreateBackupOptions {
  // Recorded with the backup (BackupEngine's app metadata).
  std::string app_metadata;
  // After the new backup, keep only the newest this many (PurgeOldBackups); 0 = keep all.
  uint32_t keep = 0;
};

struct CreatedBackup {
  BackupSummary backup;
  uint32_t purged = 0;  // older backups deleted to honour `keep`
};

// Flushes the memtables and copies the live files of `db` into `backup_dir` (created when
// missing), sharing the files earlier backups already hold. Writes to `db` go on meanwhile:
// the backup is the state after the flush.
base::Result<CreatedBackup> CreateBackup(rocksdb::DB* db, const std::string& backup_dir,
                                         const CreateBackupOptions& options);

// Every readable backup, oldest first. NotFound when `backup_dir` holds no backup directory.
base::Result<std::vector<BackupSummary>> ListBackups(const std::string& backup_dir);

// The result of checking one backup.
struct BackupCheck {
  uint32_t backup_id = 0;
  base::Status status;  // Corruption naming the file on a mismatch
};

// Reads every file of each backup (or only `only`) and compares its size and CRC32C with
// those recorded at creation. A backup whose description cannot be read is reported too.
// The outer status fails only when the directory cannot be opened (or `only` is unknown).
base::Result<std::vector<BackupCheck>> VerifyBackups(const std::string& backup_dir,
                                                     std::optional<uint32_t> only = std::nullopt);

// Verifies backup `backup_id` (the newest when nullopt), then restores it into `target_dir`,
// which must be missing or empty (FailedPrecondition otherwise, naming it). Returns the
// backup restored.
base::Result<BackupSummary> RestoreBackup(const std::string& backup_dir, std::optional<uint32_t> backup_id,
                                          const std::string& target_dir);

}  // namespace omnihub::storage
