// omnihub-test-store-tool: what the upgrade fixtures need done to a unifier data directory
// that no service does (tests/data/upgrade/make_fixture.py, tests/e2e/test_upgrade.py).
//
//   compact DIR   open DIR as this build's unifier does and compact every column family to
//                 the bottom level, so a fixture is a few small files (no WAL, no overlaps)
//   make-newer DIR  create a store in DIR as this build does, then make it look as a later
//                 build might leave it: layout version one above this build's, written_by
//                 "omnihub 99.0.0-future", and a column family `from_the_future`
//
// Runs alone on the directory (RocksDB's LOCK keeps a running unifier out). Single-threaded.
#include <iostream>
#include <string>

#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "tests/support/newer_layout.h"

namespace {

int Usage() {
  std::cerr << "usage: omnihub-test-store-tool compact|make-newer DIR\n";
  return 2;
}

int Compact(const std::string& dir) {
  auto store = omnihub::unifier::Store::Open(dir);
  if (!store.ok()) {
    std::cerr << "omnihub-test-store-tool: " << store.status().ToString() << "\n";
    return 1;
  }
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* cf : (*store)->all_column_families()) {
    const rocksdb::Status s = (*store)->db()->CompactRange(options, cf, nullptr, nullptr);
    if (!s.ok()) {
      std::cerr << "omnihub-test-store-tool: compact " << cf->GetName() << ": " << s.ToString() << "\n";
      return 1;
    }
  }
  return 0;
}

int MakeNewer(const std::string& dir) {
  namespace u = omnihub::unifier;
  if (auto store = u::Store::Open(dir); !store.ok()) {
    std::cerr << "omnihub-test-store-tool: " << store.status().ToString() << "\n";
    return 1;
  }
  const rocksdb::Status s = omnihub::testing::MakeNewerLayout(
      dir, "from_the_future", u::kCfMeta,
      {{u::kMetaLayoutVersion, omnihub::base::EncodeFixed64BE(u::kLayoutVersion + 1)},
       {u::kMetaWrittenBy, u::EncodeRawValue("omnihub 99.0.0-future")}});
  if (!s.ok()) {
    std::cerr << "omnihub-test-store-tool: make-newer " << dir << ": " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Usage();
  const std::string command = argv[1];
  if (command == "compact") return Compact(argv[2]);
  if (command == "make-newer") return MakeNewer(argv[2]);
  return Usage();
}
