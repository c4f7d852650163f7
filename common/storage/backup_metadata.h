// The small record the unifier keeps with each backup (BackupEngine's app metadata), as JSON,
// so that `omnihubctl backup list` can say what a backup holds without opening it:
//   {"format":1,"hub_version":"0.1.0","layout_version":1,"created_at_us":...,
//    "events":...,"last_change_seq":...}
// `events` and `last_change_seq` are the store's counters when the backup began; the backup
// holds at least those (commits during its flush may add a few). Readers ignore unknown names,
// so fields can be added; `format` changes only when a field changes meaning.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::storage {

inline constexpr uint64_t kBackupMetadataFormat = 1;

struct BackupMetadata {
  uint64_t format = kBackupMetadataFormat;
  std::string hub_version;
  uint64_t layout_version = 0;
  int64_t created_at_us = 0;
  uint64_t events = 0;
  uint64_t last_change_seq = 0;
};

std::string BackupMetadataToJson(const BackupMetadata& metadata);
// InvalidArgument naming the defect when `json` is not such a record (or of a newer format).
base::Result<BackupMetadata> ParseBackupMetadata(std::string_view json);

}  // namespace omnihub::storage
