#include "services/unifier/store/state_digest.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

namespace {

// Length, then bytes: no two different sequences of keys and values hash the same input.
void AddField(base::Sha256Hasher& hasher, std::string_view bytes) {
  hasher.Update(base::EncodeFixed64BE(bytes.size()));
  hasher.Update(bytes);
}

}  // namespace

bool IsPerReplicaKey(const std::string& cf_name, std::string_view key) {
  return cf_name == kCfMeta && (key == kMetaWrittenBy || key == kMetaErasureSecret);
}

base::Result<StateDigest> ComputeStateDigest(Store& store, const rocksdb::Snapshot* snapshot) {
  StateDigest out;
  auto counters = store.ReadCounters(snapshot);
  if (!counters.ok()) return counters.status();
  out.applied_position = counters->last_change_seq;
  auto apply_version = store.GetRaw(store.meta(), kMetaApplyVersion, snapshot);
  if (!apply_version.ok()) return apply_version.status();
  if (apply_version->has_value()) {
    auto version = DecodeCounterValue(**apply_version, "meta apply_version");
    if (!version.ok()) return version.status();
    out.apply_version = *version;
  }

  std::vector<rocksdb::ColumnFamilyHandle*> families = store.all_column_families();
  std::sort(families.begin(), families.end(),
            [](rocksdb::ColumnFamilyHandle* a, rocksdb::ColumnFamilyHandle* b) { return a->GetName() < b->GetName(); });
  base::Sha256Hasher whole;
  for (rocksdb::ColumnFamilyHandle* cf : families) {
    const std::string name = cf->GetName();
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.fill_cache = false;  // a one-off scan must not push the working set out
    base::Sha256Hasher hasher;
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (IsPerReplicaKey(name, it->key().ToStringView())) continue;
      AddField(hasher, it->key().ToStringView());
      AddField(hasher, it->value().ToStringView());
    }
    OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "digest column family " + name));
    const std::string digest = hasher.Finish();
    AddField(whole, name);
    whole.Update(digest);
    out.column_families[name] = base::HexEncode(digest);
  }
  out.digest = base::HexEncode(whole.Finish());
  return out;
}

}  // namespace omnihub::unifier
