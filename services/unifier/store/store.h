// The unifier's RocksDB: opening it with its column families and options, and
// small typed reads shared by the batch processor and the query service.
//
// Thread-safety: RocksDB handles are thread-safe; Store adds no mutable state after
// Open, so one Store serves the ingest thread (the only writer) and query threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include "common/base/status.h"
#include "common/storage/layout_guard.h"
#include "common/storage/physical_purge.h"
#include "services/unifier/store/store_migrations.h"
#include "omnihub/v1/store.pb.h"

namespace omnihub::unifier {

// Counters and marks kept in the meta column family, committed with every batch.
struct StoreCounters {
  uint64_t events = 0;
  uint64_t customers = 0;
  uint64_t identities = 0;
  uint64_t dead_letters = 0;
  uint64_t duplicates = 0;
  uint64_t statuses = 0;
  uint64_t amendments = 0;
  uint64_t last_change_seq = 0;
  uint64_t last_identity_id = 0;
  uint64_t last_dead_letter_id = 0;
  // The apply time (ingest/apply_time.h): the largest time of a frame applied so far, in Unix
  // microseconds. Written with every batch, so that a restart goes on from it.
  uint64_t last_apply_time_us = 0;
};

// The size at which the store's MANIFEST rolls over (see Store::Open).
inline constexpr uint64_t kMaxManifestBytes = storage::kPurgeableManifestBytes;

struct StoreOptions {
  // Optional environment (tests pass a fault-injecting one). Not owned; must outlive the Store.
  rocksdb::Env* env = nullptr;
  size_t block_cache_bytes = 64 << 20;
  // The erasure secret a new store starts with (kErasureSecretBytes); empty: 32 random bytes.
  // Stores that must agree byte for byte after an erasure (replicas of one installation, the
  // determinism tests) share one. Ignored when the store has its secret already.
  std::string erasure_secret = {};  // (a default, so designated initializers may leave it out)
  // The layout to open at and the migrations to it; null: CurrentStoreLayout(). Tests pass
  // another to show the mechanism with a migration of their own. Not owned.
  const StoreLayoutPlan* layout = nullptr;
};

class Store {
 public:
  // Opens or creates the database in `dir` with every column family. A directory of an older
  // layout is migrated (store_migrations.h); one a newer build wrote (a higher layout, a column
  // family this build does not know) is refused with FailedPrecondition naming both layouts,
  // the build that wrote it and what to do, before RocksDB opens it for writing.
  static base::Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  // RocksDB's tickers (not its histograms or timers, which cost more): write stall time and
  // the like, for metrics.
  rocksdb::Statistics* statistics() { return statistics_.get(); }
  rocksdb::ColumnFamilyHandle* timeline() { return cf_timeline_; }
  rocksdb::ColumnFamilyHandle* events() { return cf_events_; }
  rocksdb::ColumnFamilyHandle* dedup() { return cf_dedup_; }
  rocksdb::ColumnFamilyHandle* identities() { return cf_identities_; }
  rocksdb::ColumnFamilyHandle* identity_ids() { return cf_identity_ids_; }
  rocksdb::ColumnFamilyHandle* customers() { return cf_customers_; }
  rocksdb::ColumnFamilyHandle* change_log() { return cf_change_log_; }
  rocksdb::ColumnFamilyHandle* dead_letters() { return cf_dead_letters_; }
  rocksdb::ColumnFamilyHandle* meta() { return cf_meta_; }
  rocksdb::ColumnFamilyHandle* blobs() { return cf_blobs_; }
  rocksdb::ColumnFamilyHandle* conversations() { return cf_conversations_; }
  rocksdb::ColumnFamilyHandle* statuses() { return cf_statuses_; }
  rocksdb::ColumnFamilyHandle* message_refs() { return cf_message_refs_; }
  rocksdb::ColumnFamilyHandle* amendments() { return cf_amendments_; }
  rocksdb::ColumnFamilyHandle* merges() { return cf_merges_; }
  rocksdb::ColumnFamilyHandle* suggestions() { return cf_suggestions_; }
  rocksdb::ColumnFamilyHandle* command_results() { return cf_command_results_; }
  rocksdb::ColumnFamilyHandle* erasures() { return cf_erasures_; }
  rocksdb::ColumnFamilyHandle* erased_keys() { return cf_erased_keys_; }
  rocksdb::ColumnFamilyHandle* blob_refs() { return cf_blob_refs_; }
  // The per-installation key of the hashes an erasure leaves in erased_keys (meta
  // kMetaErasureSecret): 32 random bytes, made by the Open that created them.
  const std::string& erasure_secret() const { return erasure_secret_; }
  // Every column family, for whole-store work (compaction after an erasure).
  const std::vector<rocksdb::ColumnFamilyHandle*>& all_column_families() const { return handles_; }

  // Reads counters (from `snapshot` if given).
  base::Result<StoreCounters> ReadCounters(const rocksdb::Snapshot* snapshot = nullptr);
  // Adds Put()s of every counter to `batch`.
  void WriteCounters(const StoreCounters& counters, rocksdb::WriteBatch* batch);
  // Every publisher's committed high-water mark.
  base::Result<std::map<std::string, uint64_t>> ReadHighWaterMarks(const rocksdb::Snapshot* snapshot = nullptr);

  // Typed point reads; nullopt when absent, Corruption when unreadable.
  base::Result<std::optional<v1::IdentityRecord>> GetIdentity(const std::string& identity_key,
                                                        const rocksdb::Snapshot* snapshot = nullptr);
  // The timeline record stored under `timeline_key`; Corruption when it is missing (callers
  // hold the key from an index that must point at a record).
  base::Result<v1::TimelineRecord> GetTimelineRecord(const std::string& timeline_key,
                                               const rocksdb::Snapshot* snapshot = nullptr);
  // The event stored under `event_id` (events, then timeline): where it is and what it is;
  // nullopt when no such event is stored (never was, or erased).
  struct StoredEvent {
    std::string timeline_key;
    v1::TimelineRecord record;
  };
  base::Result<std::optional<StoredEvent>> GetEventById(const std::string& event_id,
                                                        const rocksdb::Snapshot* snapshot = nullptr);
  // The identity record behind an internal identity id (identity_ids, then identities).
  base::Result<v1::IdentityRecord> GetIdentityById(uint64_t identity_id, const rocksdb::Snapshot* snapshot = nullptr);
  base::Result<std::optional<v1::CustomerRecord>> GetCustomer(const std::string& customer_id,
                                                        const rocksdb::Snapshot* snapshot = nullptr);
  base::Result<std::optional<std::string>> GetRaw(rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                            const rocksdb::Snapshot* snapshot = nullptr);
  // Which of `keys` are stored in `cf` (result[i] for keys[i]), in one batched read: the
  // ingest thread looks up a whole batch's dedup keys at once rather than one Get per event.
  base::Result<std::vector<bool>> KeysPresent(rocksdb::ColumnFamilyHandle* cf, const std::vector<std::string>& keys);

 private:
  Store() = default;
  // Checks the layout version, creating, migrating or refusing (see Open).
  base::Status SettleLayout(const std::string& dir, const storage::LayoutExpectation& expected,
                            const StoreLayoutPlan& plan);
  // Records this build as the last to open the store, when another build was.
  base::Status RecordWriter();
  // Reads the erasure secret, creating it (from `given`, or random when empty) when the store has none.
  base::Status LoadErasureSecret(const std::string& given);
  // Records kApplyVersion in meta when the store has an older one (or none); refuses a newer one.
  base::Status RecordApplyVersion(const std::string& dir);
  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::unique_ptr<rocksdb::DB> db_;
  std::string erasure_secret_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* cf_timeline_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_events_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_dedup_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_identities_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_identity_ids_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_customers_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_change_log_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_dead_letters_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_blobs_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_conversations_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_statuses_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_message_refs_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_amendments_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_merges_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_suggestions_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_command_results_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_erasures_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_erased_keys_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_blob_refs_ = nullptr;
};

// Converts a RocksDB status into ours, prefixed with `what`.
base::Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace omnihub::unifier
