// What identity resolution reads from and writes to the unifier's store, as a seam: the
// resolver reads identities and customers through IdentityReader (StoreIdentityReader over
// the real Store, or a test's wrapper that injects failures) and hands back its writes as
// IdentityWrite values, which the batch processor puts into the batch's WriteBatch. So the
// resolver never touches a WriteBatch or a column family handle, and what it writes can be
// checked key by key.
//
// Thread-safety: StoreIdentityReader adds no state to the thread-safe Store; each reader
// belongs to one thread (the ingest thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// Committed identities and customers, as resolution needs them.
class IdentityReader {
 public:
  virtual ~IdentityReader() = default;
  // The record under `identity_key` (event::IdentityKey); nullopt when absent, Corruption when
  // unreadable.
  virtual base::Result<std::optional<v1::IdentityRecord>> GetIdentity(const std::string& identity_key) = 0;
  // The record behind an internal identity id; Corruption when the id or its record is missing.
  virtual base::Result<v1::IdentityRecord> GetIdentityById(uint64_t identity_id) = 0;
  // nullopt when absent, Corruption when unreadable.
  virtual base::Result<std::optional<v1::CustomerRecord>> GetCustomer(const std::string& customer_id) = 0;
  // True when an erasure removed the identity under `identity_key` (erased_keys).
  virtual base::Result<bool> WasErased(const std::string& identity_key) = 0;
};

// Reads the latest committed state of `store` (no snapshot: the ingest thread is the only
// writer, so nothing changes under it between batches).
class StoreIdentityReader final : public IdentityReader {
 public:
  // `store` must outlive the reader.
  explicit StoreIdentityReader(Store& store) : store_(store) {}

  base::Result<std::optional<v1::IdentityRecord>> GetIdentity(const std::string& identity_key) override;
  base::Result<v1::IdentityRecord> GetIdentityById(uint64_t identity_id) override;
  base::Result<std::optional<v1::CustomerRecord>> GetCustomer(const std::string& customer_id) override;
  base::Result<bool> WasErased(const std::string& identity_key) override;

 private:
  Store& store_;
};

// The column families identity resolution writes (docs/formats/{identities,identity_ids,customers}.md,
// and docs/formats/graph.md for the MergeRecord a platform-link merge leaves).
enum class IdentityColumn { kIdentities, kIdentityIds, kCustomers, kMerges };

// One Put, with the key and the encoded value exactly as stored; or, with `erase`, one
// Delete of the key (a handle index entry whose identity was renamed, handle_index.h).
struct IdentityWrite {
  IdentityColumn column;
  std::string key;
  std::string value;
  bool erase = false;
};

// Adds a Put (or Delete) to `batch` for each of `writes`, in order.
void PutIdentityWrites(Store& store, const std::vector<IdentityWrite>& writes, rocksdb::WriteBatch* batch);

}  // namespace omnihub::unifier
