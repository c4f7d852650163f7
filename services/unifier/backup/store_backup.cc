#include "services/unifier/backup/store_backup.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/storage/backup_directory.h"
#include "common/storage/backup_metadata.h"
#include "services/unifier/store/store_layout.h"

#ifndef OMNIHUB_VERSION
#error "OMNIHUB_VERSION is set by services/unifier/CMakeLists.txt"
#endif

namespace omnihub::unifier {

const char* HubVersion() { return OMNIHUB_VERSION; }

base::Status TakeStoreBackup(Store& store, base::Clock& clock, const v1::BackupRequest& request,
                             v1::BackupResponse* out) {
  if (request.backup_dir().empty()) return base::Status::InvalidArgument("backup_dir is empty: name a directory");
  if (!std::filesystem::path(request.backup_dir()).is_absolute()) {
    // Relative to what? The unifier's working directory is not the client's.
    return base::Status::InvalidArgument("backup_dir '" + request.backup_dir() + "' is not an absolute path");
  }
  const int64_t began_us = clock.NowMicros();
  // Read before the backup: everything counted here is in it (it is taken after a flush of
  // what was committed by then, and later).
  auto counters = store.ReadCounters();
  if (!counters.ok()) return counters.status();
  auto marks = store.ReadHighWaterMarks();
  if (!marks.ok()) return marks.status();

  storage::BackupMetadata metadata;
  metadata.hub_version = HubVersion();
  metadata.layout_version = kLayoutVersion;
  metadata.created_at_us = began_us;
  metadata.events = counters->events;
  metadata.last_change_seq = counters->last_change_seq;
  storage::CreateBackupOptions options;
  options.app_metadata = storage::BackupMetadataToJson(metadata);
  options.keep = request.keep();

  auto created = storage::CreateBackup(store.db(), request.backup_dir(), options);
  if (!created.ok()) return created.status();
  out->set_backup_id(created->backup.backup_id);
  out->set_created_at_us(began_us);
  out->set_size_bytes(created->backup.size_bytes);
  out->set_files(created->backup.files);
  out->set_events(metadata.events);
  out->set_last_change_seq(metadata.last_change_seq);
  for (const auto& [publisher, high_water] : *marks) {
    auto* mark = out->add_publishers();
    mark->set_publisher_id(publisher);
    mark->set_high_water(high_water);
  }
  out->set_purged(created->purged);
  out->set_metadata_json(options.app_metadata);
  spdlog::info("backup {} in {}: {} files, {} bytes, {} events, change {} ({} ms; {} older purged)",
               created->backup.backup_id, request.backup_dir(), created->backup.files, created->backup.size_bytes,
               metadata.events, metadata.last_change_seq, (clock.NowMicros() - began_us) / 1000, created->purged);
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
