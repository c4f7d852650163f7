// omnihub-test-store-tool: what the upgrade fixtures need done to a unifier data directory
// that no service does (tests/data/upgrade/make_fixture.py, tests/e2e/test_upgrade.py).
//
//   compact DIR   open DIR as this build's unifier does and compact every column family to
//                 the bottom level, so a fixture is a few small files (no WAL, no overlaps)
//
// Runs alone on the directory (RocksDB's LOCK keeps a running unifier out). Single-threaded.
#include <iostream>
#include <string>

#include <rocksdb/db.h>

#include "services/unifier/store/store.h"

namespace {

int Usage() {
  std::cerr << "usage: omnihub-test-store-tool compact DIR\n";
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Usage();
  const std::string command = argv[1];
  if (command == "compact") return Compact(argv[2]);
  return Usage();
}
