#include "services/unifier/store/store.h"

#include "common/storage/rocksdb_status.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <openssl/rand.h>

#include "common/base/build_version.h"
#include "common/base/coding.h"
#include "common/base/directories.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

rocksdb::ColumnFamilyOptions CfOptions(const std::shared_ptr<rocksdb::Cache>& cache, bool point_lookups,
                                       size_t fixed_prefix) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Bloom filters serve point lookups (dedup, identities) and, with the fixed
  // identity-id prefix, the per-identity timeline scans.
  if (point_lookups || fixed_prefix > 0) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  if (fixed_prefix > 0) cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(fixed_prefix));
  if (point_lookups) {
    // Most lookups of new events miss (dedup, first-sight identities): a memtable bloom
    // filter answers those without walking the skiplist.
    cf.memtable_prefix_bloom_size_ratio = 0.05;
    cf.memtable_whole_key_filtering = true;
  }
  cf.compression = rocksdb::kNoCompression;
  return cf;
}

// Attachments and raw messages are large and written once: values from 64 KiB up go
// to blob files, so compactions move only small pointers.
rocksdb::ColumnFamilyOptions BlobCfOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf = CfOptions(cache, true, 0);
  cf.enable_blob_files = true;
  cf.min_blob_size = 64 << 10;
  return cf;
}

// What this build reads: `plan`'s layout and the column families of `descriptors`.
storage::LayoutExpectation Expectation(const StoreLayoutPlan& plan,
                                       const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  storage::LayoutExpectation expected;
  expected.kind = "data directory";
  expected.version = plan.version;
  for (const auto& descriptor : descriptors) expected.column_families.push_back(descriptor.name);
  expected.meta_column_family = kCfMeta;
  expected.version_key = kMetaLayoutVersion;
  expected.written_by_key = kMetaWrittenBy;
  expected.decode_version = DecodeLayoutVersion;
  expected.decode_written_by = [](std::string_view value) -> base::Result<std::string> {
    auto text = DecodeRawValue(value, "meta written_by");
    if (!text.ok()) return text.status();
    return std::string(*text);
  };
  return expected;
}

}  // namespace

base::Status FromRocks(const rocksdb::Status& s, std::string_view what) { return storage::FromRocksDb(s, what); }

base::Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  OMNIHUB_RETURN_IF_ERROR(base::EnsureDirectory(dir));

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  // The manifest logs every SST file's first and last key, deleted ones too, until it rolls
  // over into a new one that lists only live files: a purge after an erasure pads it past
  // this size to make it roll (common/storage/physical_purge.h), so it is kept small.
  db_options.max_manifest_file_size = kMaxManifestBytes;
  if (options.env != nullptr) db_options.env = options.env;
  auto statistics = rocksdb::CreateDBStatistics();
  statistics->set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
  db_options.statistics = statistics;

  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, CfOptions(cache, false, 0)},
      {kCfTimeline, CfOptions(cache, false, kIdentityIdBytes)},
      {kCfEvents, CfOptions(cache, true, 0)},
      {kCfDedup, CfOptions(cache, true, 0)},
      {kCfIdentities, CfOptions(cache, true, 0)},
      {kCfIdentityIds, CfOptions(cache, true, 0)},
      {kCfCustomers, CfOptions(cache, true, 0)},
      {kCfChangeLog, CfOptions(cache, false, 0)},
      {kCfDeadLetters, CfOptions(cache, false, 0)},
      {kCfMeta, CfOptions(cache, true, 0)},
      {kCfBlobs, BlobCfOptions(cache)},
      {kCfConversations, CfOptions(cache, false, 0)},
      // Point lookups (a callback's retry, a status's message) and short prefix scans
      // (one message's statuses); the bloom filter serves the lookups only.
      {kCfStatuses, CfOptions(cache, true, 0)},
      {kCfMessageRefs, CfOptions(cache, true, 0)},
      // Like statuses: point lookups (an amendment's retry) and short prefix scans (one
      // message's amendments, one conversation's watermark receipts).
      {kCfAmendments, CfOptions(cache, true, 0)},
      // The identity graph, suggestions and erasure (docs/formats/graph.md, suggestions.md,
      // erasure.md): point lookups by id or key hash.
      {kCfMerges, CfOptions(cache, true, 0)},
      {kCfSuggestions, CfOptions(cache, true, 0)},
      {kCfCommandResults, CfOptions(cache, true, 0)},
      {kCfErasures, CfOptions(cache, true, 0)},
      {kCfErasedKeys, CfOptions(cache, true, 0)},
      // Prefix scans by blob (who still references it).
      {kCfBlobRefs, CfOptions(cache, false, 0)},
  };
  const StoreLayoutPlan& plan = options.layout != nullptr ? *options.layout : CurrentStoreLayout();
  const storage::LayoutExpectation expected = Expectation(plan, descriptors);
  OMNIHUB_RETURN_IF_ERROR(storage::CheckNotNewer(dir, expected, options.env));

  std::unique_ptr<Store> store(new Store());
  store->statistics_ = std::move(statistics);
  rocksdb::DB* raw = nullptr;
  OMNIHUB_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(db_options, dir, descriptors, &store->handles_, &raw), "open " + dir));
  store->db_.reset(raw);
  auto& h = store->handles_;
  store->cf_timeline_ = h[1];
  store->cf_events_ = h[2];
  store->cf_dedup_ = h[3];
  store->cf_identities_ = h[4];
  store->cf_identity_ids_ = h[5];
  store->cf_customers_ = h[6];
  store->cf_change_log_ = h[7];
  store->cf_dead_letters_ = h[8];
  store->cf_meta_ = h[9];
  store->cf_blobs_ = h[10];
  store->cf_conversations_ = h[11];
  store->cf_statuses_ = h[12];
  store->cf_message_refs_ = h[13];
  store->cf_amendments_ = h[14];
  store->cf_merges_ = h[15];
  store->cf_suggestions_ = h[16];
  store->cf_command_results_ = h[17];
  store->cf_erasures_ = h[18];
  store->cf_erased_keys_ = h[19];
  store->cf_blob_refs_ = h[20];

  OMNIHUB_RETURN_IF_ERROR(store->SettleLayout(dir, expected, plan));
  OMNIHUB_RETURN_IF_ERROR(store->RecordWriter());
  OMNIHUB_RETURN_IF_ERROR(store->RecordApplyVersion(dir));
  OMNIHUB_RETURN_IF_ERROR(store->LoadErasureSecret(options.erasure_secret));
  return store;
}

base::Status Store::SettleLayout(const std::string& dir, const storage::LayoutExpectation& expected,
                                 const StoreLayoutPlan& plan) {
  auto layout = GetRaw(cf_meta_, kMetaLayoutVersion);
  if (!layout.ok()) return layout.status();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (!layout->has_value()) {  // a new database: it starts at this build's layout
    return FromRocks(db_->Put(sync, cf_meta_, kMetaLayoutVersion, base::EncodeFixed64BE(plan.version)), "write layout");
  }
  auto version = DecodeLayoutVersion(**layout);
  if (!version.ok()) return version.status().WithContext(dir);
  if (*version < plan.version) return MigrateStore(*this, *version, plan);
  // CheckNotNewer read the same key before the open; this catches a directory that changed
  // in between (or whose read-only open failed).
  storage::FoundLayout found;
  found.version = *version;
  if (auto writer = GetRaw(cf_meta_, kMetaWrittenBy); writer.ok() && writer->has_value()) {
    if (auto text = expected.decode_written_by(**writer); text.ok()) found.written_by = std::move(*text);
  }
  return storage::RefuseIfNewer(dir, expected, found);
}

base::Status Store::RecordWriter() {
  const std::string written_by = EncodeRawValue(base::BuildVersion());
  auto stored = GetRaw(cf_meta_, kMetaWrittenBy);
  if (!stored.ok()) return stored.status();
  if (stored->has_value() && **stored == written_by) return base::Status::Ok();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Put(sync, cf_meta_, kMetaWrittenBy, written_by), "write written_by");
}

base::Status Store::RecordApplyVersion(const std::string& dir) {
  auto stored = GetRaw(cf_meta_, kMetaApplyVersion);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    auto version = DecodeCounterValue(**stored, "meta apply_version");
    if (!version.ok()) return version.status();
    if (*version == kApplyVersion) return base::Status::Ok();
    if (*version > kApplyVersion) {
      return base::Status::FailedPrecondition(
          "data directory " + dir + " was last applied by a newer omnihub (apply version " + std::to_string(*version) +
          "); this build applies version " + std::to_string(kApplyVersion) +
          ", whose records would differ from its replicas'. Install the newer build again, or restore a backup "
          "taken before the upgrade (docs/operations.md#upgrading).");
    }
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Put(sync, cf_meta_, kMetaApplyVersion, EncodeRawValue(base::EncodeFixed64BE(kApplyVersion))),
                   "write apply_version");
}

base::Status Store::LoadErasureSecret(const std::string& given) {
  auto stored = GetRaw(cf_meta_, kMetaErasureSecret);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    auto secret = DecodeRawValue(**stored, "meta secret/erasure");
    if (!secret.ok()) return secret.status();
    if (secret->size() != kErasureSecretBytes) return base::Status::Corruption("meta secret/erasure is not 32 bytes");
    erasure_secret_ = std::string(*secret);
    return base::Status::Ok();
  }
  // Made here, at open, and not in a command's apply: apply stays deterministic, and a store
  // that never erased anything already has the key its first erasure will use.
  std::string secret = given;
  if (secret.empty()) {
    secret.assign(kErasureSecretBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(secret.size())) != 1) {
      return base::Status::Internal("no randomness for the erasure secret");
    }
  } else if (secret.size() != kErasureSecretBytes) {
    return base::Status::InvalidArgument("the erasure secret given for a new store must be " +
                                         std::to_string(kErasureSecretBytes) + " bytes, not " +
                                         std::to_string(secret.size()));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  OMNIHUB_RETURN_IF_ERROR(
      FromRocks(db_->Put(wo, cf_meta_, kMetaErasureSecret, EncodeRawValue(secret)), "write erasure secret"));
  erasure_secret_ = std::move(secret);
  return base::Status::Ok();
}

Store::~Store() {
  for (auto* handle : handles_) {
    if (db_) db_->DestroyColumnFamilyHandle(handle);
  }
  if (db_) db_->Close().PermitUncheckedError();
}

base::Result<std::optional<std::string>> Store::GetRaw(rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                                 const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  const rocksdb::Status s = db_->Get(ro, cf, key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  OMNIHUB_RETURN_IF_ERROR(FromRocks(s, "read"));
  return std::optional<std::string>(std::move(value));
}

base::Result<std::vector<bool>> Store::KeysPresent(rocksdb::ColumnFamilyHandle* cf,
                                                  const std::vector<std::string>& keys) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), cf, keys.size(), slices.data(), values.data(), statuses.data());
  std::vector<bool> present(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    OMNIHUB_RETURN_IF_ERROR(FromRocks(statuses[i], "batched read"));
    present[i] = true;
  }
  return present;
}

base::Result<StoreCounters> Store::ReadCounters(const rocksdb::Snapshot* snapshot) {
  StoreCounters c;
  const std::pair<const char*, uint64_t*> fields[] = {
      {kMetaEvents, &c.events},
      {kMetaCustomers, &c.customers},
      {kMetaIdentities, &c.identities},
      {kMetaDeadLetters, &c.dead_letters},
      {kMetaDuplicates, &c.duplicates},
      {kMetaStatuses, &c.statuses},
      {kMetaAmendments, &c.amendments},
      {kMetaLastChangeSeq, &c.last_change_seq},
      {kMetaLastIdentityId, &c.last_identity_id},
      {kMetaLastDeadLetterId, &c.last_dead_letter_id},
      {kMetaLastApplyTime, &c.last_apply_time_us},
  };
  for (const auto& [key, field] : fields) {
    auto v = GetRaw(cf_meta_, key, snapshot);
    if (!v.ok()) return v.status();
    if (v->has_value()) {
      auto n = DecodeCounterValue(**v, std::string("meta ") + key);
      if (!n.ok()) return n.status();
      *field = *n;
    }
  }
  return c;
}

void Store::WriteCounters(const StoreCounters& c, rocksdb::WriteBatch* batch) {
  const std::pair<const char*, uint64_t> fields[] = {
      {kMetaEvents, c.events},
      {kMetaCustomers, c.customers},
      {kMetaIdentities, c.identities},
      {kMetaDeadLetters, c.dead_letters},
      {kMetaDuplicates, c.duplicates},
      {kMetaStatuses, c.statuses},
      {kMetaAmendments, c.amendments},
      {kMetaLastChangeSeq, c.last_change_seq},
      {kMetaLastIdentityId, c.last_identity_id},
      {kMetaLastDeadLetterId, c.last_dead_letter_id},
      {kMetaLastApplyTime, c.last_apply_time_us},
  };
  for (const auto& [key, value] : fields) {
    batch->Put(cf_meta_, key, EncodeRawValue(base::EncodeFixed64BE(value))).PermitUncheckedError();
  }
}

base::Result<std::map<std::string, uint64_t>> Store::ReadHighWaterMarks(const rocksdb::Snapshot* snapshot) {
  std::map<std::string, uint64_t> marks;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf_meta_));
  const std::string prefix(kMetaHighWaterPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto mark = DecodeCounterValue(it->value().ToStringView(), "high-water mark " + it->key().ToString());
    if (!mark.ok()) return mark.status();
    marks[it->key().ToString().substr(prefix.size())] = *mark;
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan high-water marks"));
  return marks;
}

base::Result<std::optional<v1::IdentityRecord>> Store::GetIdentity(const std::string& identity_key,
                                                             const rocksdb::Snapshot* snapshot) {
  auto raw = GetRaw(cf_identities_, identity_key, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<v1::IdentityRecord>();
  v1::IdentityRecord rec;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**raw, &rec).WithContext("identity record"));
  return std::optional<v1::IdentityRecord>(std::move(rec));
}

base::Result<v1::TimelineRecord> Store::GetTimelineRecord(const std::string& timeline_key,
                                                    const rocksdb::Snapshot* snapshot) {
  auto raw = GetRaw(cf_timeline_, timeline_key, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return base::Status::Corruption("an index points at a missing timeline entry");
  v1::TimelineRecord rec;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**raw, &rec).WithContext("timeline record"));
  return rec;
}

base::Result<std::optional<Store::StoredEvent>> Store::GetEventById(const std::string& event_id,
                                                                   const rocksdb::Snapshot* snapshot) {
  auto location = GetRaw(cf_events_, event_id, snapshot);
  if (!location.ok()) return location.status();
  if (!location->has_value()) return std::optional<StoredEvent>();
  auto timeline_key = DecodeRawValue(**location, "events value");
  if (!timeline_key.ok()) return timeline_key.status();
  StoredEvent out;
  out.timeline_key = std::string(*timeline_key);
  auto record = GetTimelineRecord(out.timeline_key, snapshot);
  if (!record.ok()) return record.status();
  out.record = std::move(*record);
  return std::optional<StoredEvent>(std::move(out));
}

base::Result<v1::IdentityRecord> Store::GetIdentityById(uint64_t identity_id, const rocksdb::Snapshot* snapshot) {
  auto key = GetRaw(cf_identity_ids_, base::EncodeFixed64BE(identity_id), snapshot);
  if (!key.ok()) return key.status();
  if (!key->has_value()) return base::Status::Corruption("identity id " + std::to_string(identity_id) + " unknown");
  auto identity_key = DecodeRawValue(**key, "identity_ids value");
  if (!identity_key.ok()) return identity_key.status();
  auto identity = GetIdentity(std::string(*identity_key), snapshot);
  if (!identity.ok()) return identity.status();
  if (!identity->has_value()) return base::Status::Corruption("identity of id " + std::to_string(identity_id) + " missing");
  return std::move(**identity);
}

base::Result<std::optional<v1::CustomerRecord>> Store::GetCustomer(const std::string& customer_id,
                                                             const rocksdb::Snapshot* snapshot) {
  auto raw = GetRaw(cf_customers_, customer_id, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<v1::CustomerRecord>();
  v1::CustomerRecord rec;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**raw, &rec).WithContext("customer record"));
  return std::optional<v1::CustomerRecord>(std::move(rec));
}

}  // namespace omnihub::unifier
