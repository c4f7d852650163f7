// The relationship metrics database (docs/storage-format.md "Metrics database"): a RocksDB of
// its own at [metrics] dir, derived from the store's change log by the consumer
// (metrics_consumer.h) and read by reports as their EpisodeSource. Keeps each identity's
// counted messages (so that merges and splits recompute a customer without reading the
// store's timelines), each customer's identities, summary and episodes, the episodes by
// opening time, and the applied change sequence, written in the same WriteBatch as the state
// it describes.
//
// Opening: a missing directory is created; an unreadable one, one of an older format, one
// computed with other settings, or one ahead of the store is wiped and rebuilt (from change
// 1: the change log keeps every change); one a newer build wrote is refused.
//
// Thread-safety: reads from any thread (RocksDB); writes (Commit) from the consumer's thread
// only. A Snapshot() is a consistent view for one report.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/metrics_store.pb.h"
#include "services/unifier/metrics/episodes.h"
#include "services/unifier/metrics/report.h"

namespace omnihub::unifier::metrics {

// The format this build writes and reads (key "V").
inline constexpr uint32_t kMetricsFormatVersion = 1;

// What one stretch of the consumer changes, committed atomically with its sequence.
struct MetricsWrites {
  // Identity records to write (nullopt: delete).
  std::map<uint64_t, std::optional<v1::MetricsIdentityRecord>> identities;
  // Customer records to write (nullopt: delete), with their new episodes. A stretch touches
  // a customer's latest messages far more often than anything else, so only what changed is
  // written: the record when it differs from the stored one, and the episodes from
  // `unchanged_episodes` on.
  struct CustomerWrite {
    std::optional<v1::MetricsCustomerRecord> record;
    std::vector<Episode> episodes;
    // The record as the database holds it (the consumer has read it already): its openings
    // name the old episodes' keys. nullopt: none stored.
    std::optional<v1::MetricsCustomerRecord> stored;
    // How many leading episodes equal the stored ones (same opening, same figures), so that
    // their keys are left as they are.
    size_t unchanged_episodes = 0;
  };
  std::map<std::string, CustomerWrite> customers;
  // Counted messages added (true) or removed (false), by (occurred_at_us, event_id).
  std::map<std::pair<int64_t, std::string>, bool> counted;
};

class MetricsStore final : public EpisodeSource {
 public:
  // `store_last_change_seq`: the store's last change; a database ahead of it is rebuilt.
  static base::Result<std::unique_ptr<MetricsStore>> Open(const std::string& dir, const EpisodeSettings& settings,
                                                          uint64_t store_last_change_seq);
  ~MetricsStore() override;
  MetricsStore(const MetricsStore&) = delete;
  MetricsStore& operator=(const MetricsStore&) = delete;

  const std::string& dir() const { return dir_; }

  // EpisodeSource, over the latest commit.
  base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                              const std::function<void(std::string_view customer_id, const Episode&)>& fn) override;
  base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) override;
  base::Status ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                 const std::function<void(const CustomerSummary&)>& fn) override;
  int64_t as_of_us() const override { return as_of_us_.load(); }
  uint64_t applied_change_seq() const override { return applied_.load(); }

  // A consistent view of one commit, for one report.
  base::Result<std::unique_ptr<EpisodeSource>> Snapshot();

  // The consumer's reads of the latest commit; nullopt when absent.
  base::Result<std::optional<v1::MetricsIdentityRecord>> GetIdentity(uint64_t identity_id);
  base::Result<std::optional<v1::MetricsCustomerRecord>> GetCustomer(const std::string& customer_id);

  // Writes `writes` and `applied_change_seq` in one WriteBatch.
  base::Status Commit(const MetricsWrites& writes, uint64_t applied_change_seq);

  // SHA-256 (hex) of every key and value, in key order: equal databases, equal digests.
  base::Result<std::string> ContentDigest();

 private:
  class View;
  MetricsStore(std::string dir, std::unique_ptr<rocksdb::DB> db);
  // Opens `dir` as it is; FailedPrecondition for a newer format, Corruption when it must be rebuilt.
  static base::Result<std::unique_ptr<MetricsStore>> OpenExisting(const std::string& dir,
                                                                  const std::string& settings_record,
                                                                  uint64_t store_last_change_seq);
  static base::Result<std::unique_ptr<MetricsStore>> Create(const std::string& dir, const std::string& settings_record);
  base::Status LoadMarks();

  const std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<int64_t> as_of_us_{0};
  std::atomic<uint64_t> applied_{0};
};

}  // namespace omnihub::unifier::metrics
