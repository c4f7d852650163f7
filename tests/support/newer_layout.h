// Makes a RocksDB directory look as a later build might leave it, with raw RocksDB and no
// omnihub code: a column family this build does not know, and meta records (a higher layout
// version, another writer). For the tests of the refusal of newer directories
// (common/storage/layout_guard.h) and tests/data/upgrade/future.
//
// Thread-safety: opens the directory for writing; nothing else may have it open.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

namespace omnihub::testing {

// Opens `dir` with all its column families, creates `new_column_family` (unless empty) and
// puts `meta_puts` into `meta_column_family`, synced.
inline rocksdb::Status MakeNewerLayout(const std::string& dir, const std::string& new_column_family,
                                       const std::string& meta_column_family,
                                       const std::vector<std::pair<std::string, std::string>>& meta_puts) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok()) return s;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, &handles, &raw);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!new_column_family.empty()) {
    rocksdb::ColumnFamilyHandle* added = nullptr;
    s = db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), new_column_family, &added);
    if (s.ok()) handles.push_back(added);
  }
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == meta_column_family) meta = handles[i];
  }
  if (s.ok() && meta == nullptr) s = rocksdb::Status::InvalidArgument("no column family " + meta_column_family);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  for (const auto& [key, value] : meta_puts) {
    if (s.ok()) s = db->Put(sync, meta, key, value);
  }
  if (s.ok()) s = db->FlushWAL(true);
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  rocksdb::Status closed = db->Close();
  return s.ok() ? closed : s;
}

}  // namespace omnihub::testing
