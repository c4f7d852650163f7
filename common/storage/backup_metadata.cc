#include "common/storage/backup_metadata.h"

#include <nlohmann/json.hpp>

namespace omnihub::storage {

std::string BackupMetadataToJson(const BackupMetadata& metadata) {
  nlohmann::ordered_json j;
  j["format"] = metadata.format;
  j["hub_version"] = metadata.hub_version;
  j["layout_version"] = metadata.layout_version;
  j["created_at_us"] = metadata.created_at_us;
  j["events"] = metadata.events;
  j["last_change_seq"] = metadata.last_change_seq;
  return j.dump();
}

base::Result<BackupMetadata> ParseBackupMetadata(std::string_view json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return base::Status::InvalidArgument("backup metadata is not a JSON object");
  BackupMetadata out;
  try {
    out.format = j.value("format", uint64_t{0});
    if (out.format != kBackupMetadataFormat) {
      return base::Status::InvalidArgument("backup metadata of format " + std::to_string(out.format) +
                                           ", this build reads format " + std::to_string(kBackupMetadataFormat));
    }
    out.hub_version = j.value("hub_version", std::string());
    out.layout_version = j.value("layout_version", uint64_t{0});
    out.created_at_us = j.value("created_at_us", int64_t{0});
    out.events = j.value("events", uint64_t{0});
    out.last_change_seq = j.value("last_change_seq", uint64_t{0});
  } catch (const nlohmann::json::exception& e) {
    return base::Status::InvalidArgument(std::string("backup metadata: ") + e.what());
  }
  return out;
}

}  // namespace omnihub::storage
