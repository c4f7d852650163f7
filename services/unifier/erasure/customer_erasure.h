// The logical half of an erasure (docs/erasure.md): every record of one customer, and of the
// customers merged into it, goes into one WriteBatch as Deletes (and the change log's
// entries about it as tombstones), with a keyed hash left in erased_keys for each lookup key
// that a provider could send again. Physical removal (compaction) is Purge's (purge.h).
//
// Reads committed state without a snapshot (the handler runs on the ingest thread, the only
// writer) and stages its writes in the caller's batch; nothing is written on failure.
//
// Thread-safety: single-threaded (the ingest thread).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// What an erasure removed, for the receipt and the CUSTOMER_ERASED change.
struct ErasureOutcome {
  std::vector<std::string> merged_customer_ids;  // sorted
  std::vector<uint64_t> identity_ids;            // in the customer's order
  std::map<std::string, uint64_t> removed;       // kind -> count (ErasureReceipt.removed)
  uint64_t tombstoned_changes = 0;
};

class CustomerErasure {
 public:
  // `customer` is the live customer to erase; `erasure_id` is the value of every erased_keys
  // entry. All references must outlive the object.
  CustomerErasure(Store& store, const v1::CustomerRecord& customer, std::string erasure_id,
                  rocksdb::WriteBatch& batch);

  // Stages every Delete, tombstone and erased_keys entry, and lowers `counters`.
  base::Result<ErasureOutcome> Run(StoreCounters& counters);

 private:
  base::Status CollectMergedCustomers();
  base::Status EraseIdentity(uint64_t identity_id);
  base::Status EraseTimeline(uint64_t identity_id);
  base::Status EraseEvent(const std::string& timeline_key, const v1::Event& event);
  // Deletes every record under `prefix` in `cf`, noting each one's Event (statuses, amendments).
  base::Result<uint64_t> ErasePrefixOfEvents(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix);
  base::Status EraseWatermarks();
  base::Status EraseBlobs();
  base::Status EraseSuggestions();
  base::Status EraseMerges();
  base::Status ScrubOtherCustomersHistory();
  base::Status TombstoneChanges();
  bool NamesErased(const v1::ChangeNotification& change) const;
  void NoteBlobs(const v1::Event& event);
  void Count(const std::string& kind, uint64_t n = 1) { outcome_.removed[kind] += n; }

  Store& store_;
  const v1::CustomerRecord& customer_;
  const std::string erasure_id_;
  rocksdb::WriteBatch& batch_;
  ErasureOutcome outcome_;

  std::vector<v1::CustomerRecord> erased_customers_;  // the customer, then those merged into it
  std::unordered_set<std::string> customer_ids_;
  std::unordered_set<std::string> identity_keys_;
  std::unordered_set<std::string> event_ids_;  // timeline events, statuses, amendments
  std::map<std::string, std::set<std::string>> blob_referrers_;  // sha256 -> erased event ids naming it
  std::set<std::tuple<int, std::string, std::string>> conversations_;  // channel, account, conversation
  std::unordered_set<std::string> suggestion_ids_;
};

}  // namespace omnihub::unifier
