#include "common/storage/layout_guard.h"

#include <algorithm>
#include <cstdarg>
#include <filesystem>
#include <memory>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "common/storage/rocksdb_status.h"

namespace omnihub::storage {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// RocksDB's info log of the read-only open goes nowhere: opening it would rotate the
// directory's LOG, and a refused directory is to be left exactly as it was.
class DiscardingLogger final : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

// The version and writer keys, from the meta column family opened read-only alone.
base::Result<FoundLayout> ReadMeta(const std::string& dir, const LayoutExpectation& expected, rocksdb::Env* env) {
  rocksdb::DBOptions options;
  if (env != nullptr) options.env = env;
  options.info_log = std::make_shared<DiscardingLogger>();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {{rocksdb::kDefaultColumnFamilyName, {}}};
  if (expected.meta_column_family != rocksdb::kDefaultColumnFamilyName) {
    descriptors.push_back({expected.meta_column_family, {}});
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  OMNIHUB_RETURN_IF_ERROR(
      FromRocksDb(rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &handles, &raw), "read-only open " + dir));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = handles.back();
  FoundLayout found;
  base::Status status;
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), meta, expected.version_key, &value);
  if (s.ok()) {
    auto version = expected.decode_version(value);
    if (version.ok()) found.version = *version;
    else status = version.status();
  } else if (s.IsNotFound()) {
    if (expected.version_when_absent != 0) found.version = expected.version_when_absent;
  } else {
    status = FromRocksDb(s, "read " + expected.version_key);
  }
  if (status.ok() && !expected.written_by_key.empty()) {
    s = db->Get(rocksdb::ReadOptions(), meta, expected.written_by_key, &value);
    if (s.ok()) {
      auto writer = expected.decode_written_by(value);
      if (writer.ok()) found.written_by = std::move(*writer);
    } else if (!s.IsNotFound()) {
      status = FromRocksDb(s, "read " + expected.written_by_key);
    }
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  if (!status.ok()) return status;
  return found;
}

}  // namespace

base::Status RefuseIfNewer(const std::string& dir, const LayoutExpectation& expected, const FoundLayout& found) {
  const bool newer_version = found.version.has_value() && *found.version > expected.version;
  if (!newer_version && found.unknown_column_families.empty()) return base::Status::Ok();
  std::vector<std::string> what;
  if (!found.written_by.empty()) what.push_back(found.written_by);
  what.push_back(found.version ? "layout " + std::to_string(*found.version) : "layout unknown");
  if (!found.unknown_column_families.empty()) {
    what.push_back("unknown column families: " + Join(found.unknown_column_families));
  }
  return base::Status::FailedPrecondition(
      std::string(expected.kind) + " " + dir + " was written by a newer omnihub (" + Join(what) +
      "); this build reads layout " + std::to_string(expected.version) +
      ". Install the newer build again, or restore a backup taken before the upgrade "
      "(docs/operations.md#upgrading).");
}

base::Status CheckNotNewer(const std::string& dir, const LayoutExpectation& expected, rocksdb::Env* env) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec)) return base::Status::Ok();
  rocksdb::DBOptions options;
  if (env != nullptr) options.env = env;
  std::vector<std::string> names;
  OMNIHUB_RETURN_IF_ERROR(
      FromRocksDb(rocksdb::DB::ListColumnFamilies(options, dir, &names), "list column families of " + dir));
  FoundLayout found;
  for (const auto& name : names) {
    if (std::find(expected.column_families.begin(), expected.column_families.end(), name) ==
        expected.column_families.end()) {
      found.unknown_column_families.push_back(name);
    }
  }
  const bool has_meta = std::find(names.begin(), names.end(), expected.meta_column_family) != names.end();
  if (has_meta) {
    auto meta = ReadMeta(dir, expected, env);
    if (meta.ok()) {
      found.version = meta->version;
      found.written_by = std::move(meta->written_by);
    } else if (found.unknown_column_families.empty()) {
      return base::Status::Ok();
    }
  }
  return RefuseIfNewer(dir, expected, found);
}

}  // namespace omnihub::storage
