#include "services/unifier/metrics/metrics_store.h"

#include <algorithm>
#include <filesystem>

#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/storage/rocksdb_status.h"

namespace omnihub::unifier::metrics {
namespace {

namespace fs = std::filesystem;

// Keys (docs/storage-format.md "Metrics database").
constexpr char kVersionKey[] = "V";
constexpr char kAppliedKey[] = "A";
constexpr char kSettingsKey[] = "P";
constexpr char kCountedPrefix = 'T';
constexpr char kIdentityPrefix = 'I';
constexpr char kCustomerPrefix = 'C';
constexpr char kEpisodePrefix = 'E';

std::string TimePrefix(char prefix, int64_t us) {
  std::string key(1, prefix);
  base::PutOrderedInt64(&key, us);
  return key;
}

std::string CountedKey(int64_t occurred_at_us, const std::string& event_id) {
  return TimePrefix(kCountedPrefix, occurred_at_us) + event_id;
}

std::string IdentityKey(uint64_t identity_id) {
  std::string key(1, kIdentityPrefix);
  base::PutFixed64BE(&key, identity_id);
  return key;
}

std::string CustomerKey(std::string_view customer_id) { return std::string(1, kCustomerPrefix) + std::string(customer_id); }

// "E", opening time, customer id (length-prefixed), the episode's index among the customer's.
std::string EpisodeKey(int64_t opened_at_us, std::string_view customer_id, uint32_t index) {
  std::string key = TimePrefix(kEpisodePrefix, opened_at_us);
  base::PutLengthPrefixed(&key, customer_id);
  base::PutFixed32BE(&key, index);
  return key;
}

base::Result<std::string_view> EpisodeKeyCustomer(std::string_view key) {
  key.remove_prefix(1);
  int64_t opened_at_us = 0;
  std::string_view customer_id;
  if (!base::GetOrderedInt64(&key, &opened_at_us) || !base::GetLengthPrefixed(&key, &customer_id)) {
    return base::Status::Corruption("metrics database: an episode key does not decode");
  }
  return customer_id;
}

v1::MetricsEpisodeRecord ToRecord(const Episode& e) {
  v1::MetricsEpisodeRecord r;
  r.set_opened_at_us(e.opened_at_us);
  r.set_channel(e.channel);
  r.set_account(e.account);
  r.set_replies(e.replies);
  r.set_first_reply_at_us(e.first_reply_at_us);
  r.set_reply_channel(e.reply_channel);
  r.set_first_response_us(e.first_response_us);
  r.set_last_reply_at_us(e.last_reply_at_us);
  r.set_last_inbound_at_us(e.last_inbound_at_us);
  r.set_follow_up(e.follow_up);
  r.set_channel_switches(e.channel_switches);
  r.set_ends_with_reply(e.ends_with_reply);
  r.set_superseded(e.superseded);
  return r;
}

Episode FromRecord(const v1::MetricsEpisodeRecord& r) {
  Episode e;
  e.opened_at_us = r.opened_at_us();
  e.channel = r.channel();
  e.account = r.account();
  e.replies = r.replies();
  e.first_reply_at_us = r.first_reply_at_us();
  e.reply_channel = r.reply_channel();
  e.first_response_us = r.first_response_us();
  e.last_reply_at_us = r.last_reply_at_us();
  e.last_inbound_at_us = r.last_inbound_at_us();
  e.follow_up = r.follow_up();
  e.channel_switches = r.channel_switches();
  e.ends_with_reply = r.ends_with_reply();
  e.superseded = r.superseded();
  return e;
}

std::string SettingsRecord(const EpisodeSettings& settings) {
  v1::MetricsSettingsRecord r;
  r.set_quiet_us(settings.quiet_us);
  r.set_resolution_us(settings.resolution_us);
  if (settings.business_hours.has_value()) {
    r.set_business_hours(true);
    r.set_business_hours_zone(settings.business_hours->zone);
    for (const auto& day : settings.business_hours->days) r.add_business_hours_days(FormatRange(day));
  }
  return r.SerializeAsString();
}

template <typename Message>
base::Status Parse(const rocksdb::Slice& value, Message* out, std::string_view what) {
  if (!out->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return base::Status::Corruption("metrics database: unreadable " + std::string(what));
  }
  return base::Status::Ok();
}

// The reads an EpisodeSource does, at `options` (latest or a snapshot).
base::Status ScanEpisodes(rocksdb::DB& db, const rocksdb::ReadOptions& options, int64_t since_us, int64_t until_us,
                          const std::function<void(std::string_view customer_id, const Episode&)>& fn) {
  if (until_us <= since_us) return base::Status::Ok();
  const std::string end = TimePrefix(kEpisodePrefix, until_us);
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
  for (it->Seek(TimePrefix(kEpisodePrefix, since_us)); it->Valid() && it->key().compare(end) < 0; it->Next()) {
    v1::MetricsEpisodeRecord record;
    OMNIHUB_RETURN_IF_ERROR(Parse(it->value(), &record, "episode"));
    auto customer_id = EpisodeKeyCustomer(it->key().ToStringView());
    if (!customer_id.ok()) return customer_id.status();
    fn(*customer_id, FromRecord(record));
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "metrics database: reading episodes");
  return base::Status::Ok();
}

// The customer record's summary to `fn`, unless it has no episode.
base::Status GiveCustomer(std::string_view customer_id, const rocksdb::Slice& value,
                          const std::function<void(const CustomerSummary&)>& fn) {
  v1::MetricsCustomerRecord record;
  OMNIHUB_RETURN_IF_ERROR(Parse(value, &record, "customer"));
  if (record.openings().empty()) return base::Status::Ok();
  CustomerSummary summary;
  summary.customer_id = std::string(customer_id);
  summary.referred = record.referred();
  for (const auto& o : record.openings()) summary.openings.push_back({o.at_us(), o.channel(), o.account()});
  fn(summary);
  return base::Status::Ok();
}

base::Status ScanCustomers(rocksdb::DB& db, const rocksdb::ReadOptions& options,
                           const std::function<void(const CustomerSummary&)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
  const std::string prefix(1, kCustomerPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    OMNIHUB_RETURN_IF_ERROR(GiveCustomer(it->key().ToStringView().substr(1), it->value(), fn));
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "metrics database: reading customers");
  return base::Status::Ok();
}

// One point read per customer named: what the headline costs is its window's customers.
base::Status ReadCustomers(rocksdb::DB& db, const rocksdb::ReadOptions& options,
                           const std::vector<std::string>& customer_ids,
                           const std::function<void(const CustomerSummary&)>& fn) {
  std::string value;
  for (const std::string& customer_id : customer_ids) {
    rocksdb::Status s = db.Get(options, CustomerKey(customer_id), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return storage::FromRocksDb(s, "metrics database: reading customer " + customer_id);
    OMNIHUB_RETURN_IF_ERROR(GiveCustomer(customer_id, value, fn));
  }
  return base::Status::Ok();
}

// as_of and the applied sequence as of `options`.
base::Status ReadMarks(rocksdb::DB& db, const rocksdb::ReadOptions& options, int64_t* as_of_us, uint64_t* applied) {
  std::string value;
  rocksdb::Status s = db.Get(options, kAppliedKey, &value);
  if (s.IsNotFound()) {
    *applied = 0;
  } else if (!s.ok()) {
    return storage::FromRocksDb(s, "metrics database: reading the applied sequence");
  } else if (value.size() != 8) {
    return base::Status::Corruption("metrics database: the applied sequence is not 8 bytes");
  } else {
    *applied = base::DecodeFixed64BE(value);
  }
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
  const std::string after_counted(1, kCountedPrefix + 1);
  it->SeekForPrev(after_counted);
  *as_of_us = 0;
  if (it->Valid() && it->key().starts_with(std::string_view(&kCountedPrefix, 1))) {
    std::string_view key = it->key().ToStringView().substr(1);
    if (!base::GetOrderedInt64(&key, as_of_us)) return base::Status::Corruption("metrics database: a T key does not decode");
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "metrics database: reading as_of");
  return base::Status::Ok();
}

rocksdb::Options DbOptions(bool create) {
  rocksdb::Options options;
  options.create_if_missing = create;
  options.max_manifest_file_size = 64 << 20;
  // Small memtables: the consumer's writes are many small keys at random places, and an
  // insert into a 64 MB skip list (the default) is a walk of cache misses; at 8 MB most of it
  // stays in the CPU's cache (docs/benchmarks.md "Consumer cost, reworked").
  options.write_buffer_size = 8 << 20;
  return options;
}

}  // namespace

class MetricsStore::View final : public EpisodeSource {
 public:
  explicit View(rocksdb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) { options_.snapshot = snapshot_; }
  ~View() override { db_.ReleaseSnapshot(snapshot_); }
  base::Status Init() { return ReadMarks(db_, options_, &as_of_us_, &applied_); }

  base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                              const std::function<void(std::string_view, const Episode&)>& fn) override {
    return ScanEpisodes(db_, options_, since_us, until_us, fn);
  }
  base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) override {
    return ScanCustomers(db_, options_, fn);
  }
  base::Status ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                 const std::function<void(const CustomerSummary&)>& fn) override {
    return ReadCustomers(db_, options_, customer_ids, fn);
  }
  int64_t as_of_us() const override { return as_of_us_; }
  uint64_t applied_change_seq() const override { return applied_; }

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions options_;
  int64_t as_of_us_ = 0;
  uint64_t applied_ = 0;
};

MetricsStore::MetricsStore(std::string dir, std::unique_ptr<rocksdb::DB> db) : dir_(std::move(dir)), db_(std::move(db)) {}

MetricsStore::~MetricsStore() = default;

base::Result<std::unique_ptr<MetricsStore>> MetricsStore::Open(const std::string& dir, const EpisodeSettings& settings,
                                                               uint64_t store_last_change_seq) {
  if (dir.empty()) return base::Status::InvalidArgument("metrics.dir is empty");
  const std::string settings_record = SettingsRecord(settings);
  std::error_code ec;
  if (!fs::exists(dir, ec) || fs::is_empty(dir, ec)) return Create(dir, settings_record);
  auto existing = OpenExisting(dir, settings_record, store_last_change_seq);
  if (existing.ok()) return existing;
  const auto code = existing.status().code();
  if (code == base::StatusCode::kFailedPrecondition || code == base::StatusCode::kUnavailable) return existing.status();
  // Everything in it can be computed again from the store's change log, which keeps every change.
  spdlog::warn("metrics database {}: {}; rebuilding it from the change log", dir, existing.status().ToString());
  fs::remove_all(dir, ec);
  if (ec) return base::Status::IoError("removing metrics database " + dir + " to rebuild it: " + ec.message());
  return Create(dir, settings_record);
}

base::Result<std::unique_ptr<MetricsStore>> MetricsStore::OpenExisting(const std::string& dir,
                                                                       const std::string& settings_record,
                                                                       uint64_t store_last_change_seq) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(DbOptions(false), dir, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return base::Status::Unavailable("metrics database " + dir + " is in use by another process: " + s.ToString());
    }
    return base::Status::Corruption("cannot be opened: " + s.ToString());
  }
  std::unique_ptr<MetricsStore> store(new MetricsStore(dir, std::unique_ptr<rocksdb::DB>(raw)));
  std::string value;
  s = store->db_->Get(rocksdb::ReadOptions(), kVersionKey, &value);
  if (!s.ok()) return base::Status::Corruption("has no format version (key V)");
  uint32_t version = 0;
  try {
    size_t used = 0;
    version = static_cast<uint32_t>(std::stoul(value, &used));
    if (used != value.size()) throw std::invalid_argument(value);
  } catch (const std::exception&) {
    return base::Status::Corruption("its format version '" + value + "' is not a number");
  }
  if (version > kMetricsFormatVersion) {
    return base::Status::FailedPrecondition(
        "metrics database " + dir + " has format " + std::to_string(version) + ", newer than this build's " +
        std::to_string(kMetricsFormatVersion) + ": a newer omnihub wrote it. Run that build, or delete " + dir +
        " to have this one rebuild the metrics from the store's change log");
  }
  if (version < kMetricsFormatVersion) return base::Status::Corruption("it has the older format " + value);
  s = store->db_->Get(rocksdb::ReadOptions(), kSettingsKey, &value);
  if (!s.ok() || value != settings_record) {
    return base::Status::Corruption("its episodes were computed with other [metrics] settings");
  }
  OMNIHUB_RETURN_IF_ERROR(store->LoadMarks());
  if (store->applied_.load() > store_last_change_seq) {
    return base::Status::Corruption("it is at change " + std::to_string(store->applied_.load()) +
                                    " but the store only at " + std::to_string(store_last_change_seq));
  }
  return store;
}

base::Result<std::unique_ptr<MetricsStore>> MetricsStore::Create(const std::string& dir,
                                                                 const std::string& settings_record) {
  std::error_code ec;
  const fs::path parent = fs::path(dir).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) return base::Status::IoError("creating the directory of metrics database " + dir + ": " + ec.message());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(DbOptions(true), dir, &raw);
  if (!s.ok()) return storage::FromRocksDb(s, "creating metrics database " + dir);
  std::unique_ptr<MetricsStore> store(new MetricsStore(dir, std::unique_ptr<rocksdb::DB>(raw)));
  rocksdb::WriteBatch batch;
  batch.Put(kVersionKey, std::to_string(kMetricsFormatVersion)).PermitUncheckedError();
  batch.Put(kSettingsKey, settings_record).PermitUncheckedError();
  batch.Put(kAppliedKey, base::EncodeFixed64BE(0)).PermitUncheckedError();
  rocksdb::WriteOptions options;
  options.sync = true;
  s = store->db_->Write(options, &batch);
  if (!s.ok()) return storage::FromRocksDb(s, "initializing metrics database " + dir);
  return store;
}

base::Status MetricsStore::LoadMarks() {
  int64_t as_of = 0;
  uint64_t applied = 0;
  OMNIHUB_RETURN_IF_ERROR(ReadMarks(*db_, rocksdb::ReadOptions(), &as_of, &applied));
  as_of_us_.store(as_of);
  applied_.store(applied);
  return base::Status::Ok();
}

base::Status MetricsStore::ForEachEpisode(int64_t since_us, int64_t until_us,
                                          const std::function<void(std::string_view, const Episode&)>& fn) {
  return ScanEpisodes(*db_, rocksdb::ReadOptions(), since_us, until_us, fn);
}

base::Status MetricsStore::ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) {
  return ScanCustomers(*db_, rocksdb::ReadOptions(), fn);
}

base::Status MetricsStore::ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                             const std::function<void(const CustomerSummary&)>& fn) {
  return ReadCustomers(*db_, rocksdb::ReadOptions(), customer_ids, fn);
}

base::Result<std::unique_ptr<EpisodeSource>> MetricsStore::Snapshot() {
  auto view = std::make_unique<View>(*db_);
  OMNIHUB_RETURN_IF_ERROR(view->Init());
  return std::unique_ptr<EpisodeSource>(std::move(view));
}

base::Result<std::optional<v1::MetricsIdentityRecord>> MetricsStore::GetIdentity(uint64_t identity_id) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), IdentityKey(identity_id), &value);
  if (s.IsNotFound()) return std::optional<v1::MetricsIdentityRecord>();
  if (!s.ok()) return storage::FromRocksDb(s, "metrics database: reading identity " + std::to_string(identity_id));
  v1::MetricsIdentityRecord record;
  OMNIHUB_RETURN_IF_ERROR(Parse(value, &record, "identity " + std::to_string(identity_id)));
  return std::optional<v1::MetricsIdentityRecord>(std::move(record));
}

base::Result<std::optional<v1::MetricsCustomerRecord>> MetricsStore::GetCustomer(const std::string& customer_id) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), CustomerKey(customer_id), &value);
  if (s.IsNotFound()) return std::optional<v1::MetricsCustomerRecord>();
  if (!s.ok()) return storage::FromRocksDb(s, "metrics database: reading customer " + customer_id);
  v1::MetricsCustomerRecord record;
  OMNIHUB_RETURN_IF_ERROR(Parse(value, &record, "customer " + customer_id));
  return std::optional<v1::MetricsCustomerRecord>(std::move(record));
}

base::Status MetricsStore::Commit(const MetricsWrites& writes, uint64_t applied_change_seq) {
  rocksdb::WriteBatch batch;
  for (const auto& [id, record] : writes.identities) {
    if (record.has_value()) {
      batch.Put(IdentityKey(id), record->SerializeAsString()).PermitUncheckedError();
    } else {
      batch.Delete(IdentityKey(id)).PermitUncheckedError();
    }
  }
  for (const auto& [customer_id, write] : writes.customers) {
    if (write.stored.has_value()) {
      // The old episodes' keys that the new ones do not overwrite (most are the same keys:
      // a customer's earlier episodes keep their opening and index).
      for (int i = 0; i < write.stored->openings_size(); ++i) {
        const auto index = static_cast<size_t>(i);
        const int64_t at = write.stored->openings(i).at_us();
        if (write.record.has_value() && index < write.episodes.size() && write.episodes[index].opened_at_us == at) continue;
        batch.Delete(EpisodeKey(at, customer_id, static_cast<uint32_t>(i))).PermitUncheckedError();
      }
    }
    if (!write.record.has_value()) {
      if (write.stored.has_value()) batch.Delete(CustomerKey(customer_id)).PermitUncheckedError();
      continue;
    }
    std::string record = write.record->SerializeAsString();
    if (!write.stored.has_value() || write.stored->SerializeAsString() != record) {
      batch.Put(CustomerKey(customer_id), record).PermitUncheckedError();
    }
    for (size_t i = write.unchanged_episodes; i < write.episodes.size(); ++i) {
      batch.Put(EpisodeKey(write.episodes[i].opened_at_us, customer_id, static_cast<uint32_t>(i)),
                ToRecord(write.episodes[i]).SerializeAsString())
          .PermitUncheckedError();
    }
  }
  for (const auto& [message, added] : writes.counted) {
    const std::string key = CountedKey(message.first, message.second);
    if (added) {
      batch.Put(key, "").PermitUncheckedError();
    } else {
      batch.Delete(key).PermitUncheckedError();
    }
  }
  batch.Put(kAppliedKey, base::EncodeFixed64BE(applied_change_seq)).PermitUncheckedError();
  // Not synced: the database is derived, and the sequence is in the same batch as the state
  // it describes, so a machine crash loses a suffix of stretches as a whole (RocksDB's WAL
  // recovers a prefix of batches) and the consumer applies them again from the recorded
  // sequence; a process crash loses nothing (the WAL is written). Syncing each stretch would
  // cost an fsync per 2000 changes on the disk ingest syncs on, for nothing a rebuild cannot
  // give back.
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return storage::FromRocksDb(s, "metrics database " + dir_ + ": writing");
  // A stretch that only added counted messages moves as_of to the latest of them at most;
  // only a removal can lower it, and only then is the T keys' end read again (the consumer
  // commits every few changes while it follows ingest).
  const bool removed = std::any_of(writes.counted.begin(), writes.counted.end(),
                                   [](const auto& counted) { return !counted.second; });
  if (removed) return LoadMarks();
  if (!writes.counted.empty()) as_of_us_.store(std::max(as_of_us_.load(), writes.counted.rbegin()->first.first));
  applied_.store(applied_change_seq);
  return base::Status::Ok();
}

base::Result<std::string> MetricsStore::ContentDigest() {
  std::string all;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    base::PutFixed64BE(&all, it->key().size());
    all.append(it->key().data(), it->key().size());
    base::PutFixed64BE(&all, it->value().size());
    all.append(it->value().data(), it->value().size());
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "metrics database: digest");
  return base::Sha256Hex(all);
}

}  // namespace omnihub::unifier::metrics
