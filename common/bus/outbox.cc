#include "common/bus/outbox.h"

#include "common/base/directories.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/storage/layout_guard.h"
#include "common/storage/physical_purge.h"
#include "common/storage/rocksdb_status.h"
#include "common/storage/versioned_value.h"

namespace omnihub::bus {
namespace {

// Acks within this long of the oldest one of their group share its stored time (one record
// per minute instead of one per ack); a group is deleted only once its last ack is past the
// retention window too, so no entry goes early.
constexpr int64_t kAckTimeResolutionUs = 60'000'000;

// A group stops growing past this many payload bytes (the first waiting append is
// always taken), so one huge group does not delay its first writer for long.
constexpr size_t kMaxGroupBytes = 4 << 20;

std::string MetaKey(uint8_t tag, std::string_view name) {
  std::string key(1, static_cast<char>(tag));
  key.append(name);
  return key;
}

std::string VersionedValue(std::string_view payload) { return storage::FrameValue(kOutboxValueVersion, payload); }

base::Result<std::string_view> StripVersion(std::string_view value, std::string_view what) {
  return storage::UnframeValue(value, kOutboxValueVersion, "outbox: " + std::string(what));
}

base::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  return storage::FromRocksDb(s, "outbox: " + std::string(what));
}

// A meta record holding one fixed64 BE after its version byte.
base::Result<uint64_t> DecodeFixed64Record(std::string_view value, std::string_view name) {
  base::Result<std::string_view> payload = StripVersion(value, name);
  if (!payload.ok()) return payload.status();
  std::string_view in = *payload;
  uint64_t out = 0;
  if (!base::GetFixed64BE(&in, &out) || !in.empty()) return base::Status::Corruption("outbox: bad " + std::string(name));
  return out;
}

// What this build reads (common/storage/layout_guard.h): an outbox a newer build changed is
// refused with a message instead of RocksDB's "Column families not opened".
storage::LayoutExpectation Expectation() {
  storage::LayoutExpectation expected;
  expected.kind = "outbox";
  expected.version = kOutboxLayoutVersion;
  expected.column_families = {rocksdb::kDefaultColumnFamilyName, kOutboxEntriesColumnFamily};
  expected.meta_column_family = rocksdb::kDefaultColumnFamilyName;
  expected.version_key = MetaKey(kOutboxMetaTagInternal, kOutboxLayoutVersionKey);
  expected.version_when_absent = 1;
  expected.decode_version = [](std::string_view value) { return DecodeFixed64Record(value, "layout_version"); };
  return expected;
}

std::string AckedAtKey(uint64_t sequence) {
  return MetaKey(kOutboxMetaTagInternal, std::string(kOutboxAckedAtPrefix) + base::EncodeFixed64BE(sequence));
}

base::Result<uint64_t> ReadFixed64Record(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string_view name) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf, MetaKey(kOutboxMetaTagInternal, name), &value);
  if (s.IsNotFound()) return uint64_t{0};
  OMNIHUB_RETURN_IF_ERROR(FromRocks(s, "read " + std::string(name)));
  return DecodeFixed64Record(value.ToStringView(), name);
}

size_t ItemBytes(const OutboxItem& item) {
  size_t bytes = item.rejected ? item.rejected->raw().size() + item.rejected->reason().size()
                               : item.event_bytes.size() + item.command_bytes.size();
  for (const auto& blob : item.blobs) bytes += blob.data().size();
  return bytes;
}

}  // namespace

// One append waiting in writers_ for the committer, holding what it appends.
struct Outbox::Writer {
  std::vector<OutboxItem> items;
  std::vector<std::pair<std::string, std::string>> meta_puts;
  std::vector<std::string> meta_deletes;
  AppendDone done;
};

base::Status Outbox::Compact() {
  {
    std::lock_guard trim_lock(trim_mu_);
    OMNIHUB_RETURN_IF_ERROR(TrimExpired(INT64_MAX).WithContext("compact outbox"));
  }
  // Meta keys start with a tag byte (0x00, 0x01), so the padding in the meta column family
  // ("purge-padding/...") never meets a reader.
  return storage::PurgeDeletedData(db_.get(), handles_, cf_meta_, storage::kPurgeableManifestBytes)
      .WithContext("compact outbox");
}

std::string Outbox::directory() const { return db_->GetName(); }

std::string EncodeOutboxEntryValue(std::string_view frame_bytes) { return VersionedValue(frame_bytes); }

base::Result<std::string_view> DecodeOutboxEntryValue(std::string_view value) { return StripVersion(value, "entry"); }

base::Result<std::unique_ptr<Outbox>> Outbox::Open(const std::string& dir, std::string_view id_prefix,
                                             base::RandomSource& random, const OutboxOptions& options) {
  if (id_prefix.empty()) return base::Status::InvalidArgument("outbox: empty publisher id prefix");
  if (options.keep_acked_us < 0 || (options.keep_acked_us > 0 && options.clock == nullptr)) {
    return base::Status::InvalidArgument("outbox: keeping acknowledged entries needs a clock and a window >= 0");
  }
  OMNIHUB_RETURN_IF_ERROR(base::EnsureDirectory(dir).WithContext("outbox"));
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 3;  // RocksDB's info LOG; an outbox is small and long-lived
  db_options.max_manifest_file_size = storage::kPurgeableManifestBytes;  // for Compact
  if (options.env != nullptr) db_options.env = options.env;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = 16 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, cf_options},
      {kOutboxEntriesColumnFamily, cf_options},
  };

  OMNIHUB_RETURN_IF_ERROR(storage::CheckNotNewer(dir, Expectation(), options.env));

  std::unique_ptr<Outbox> outbox(new Outbox());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, descriptors, &outbox->handles_, &raw);
  if (!s.ok()) return FromRocks(s, "open " + dir);
  outbox->db_.reset(raw);
  outbox->cf_meta_ = outbox->handles_[0];
  outbox->cf_entries_ = outbox->handles_[1];

  rocksdb::PinnableSlice id_value;
  s = raw->Get(rocksdb::ReadOptions(), outbox->cf_meta_, MetaKey(kOutboxMetaTagInternal, kOutboxPublisherIdKey),
               &id_value);
  if (s.ok()) {
    base::Result<std::string_view> id = StripVersion(id_value.ToStringView(), "publisher id");
    if (!id.ok()) return id.status();
    outbox->publisher_id_ = std::string(*id);
  } else if (s.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), outbox->cf_entries_));
    it->SeekToFirst();
    if (it->Valid()) return base::Status::Corruption("outbox: " + dir + " has entries but no publisher id");
    std::string id = std::string(id_prefix) + "-";
    std::string random_bytes;
    base::PutFixed64BE(&random_bytes, random.Next64());
    id += base::HexEncode(random_bytes);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    OMNIHUB_RETURN_IF_ERROR(FromRocks(
        raw->Put(sync, outbox->cf_meta_, MetaKey(kOutboxMetaTagInternal, kOutboxPublisherIdKey), VersionedValue(id)),
        "write publisher id"));
    outbox->publisher_id_ = std::move(id);
  } else {
    return FromRocks(s, "read publisher id");
  }
  outbox->clock_ = options.clock;
  outbox->keep_acked_us_ = options.keep_acked_us;
  OMNIHUB_RETURN_IF_ERROR(outbox->LoadState());
  // What expired while the process was down (or everything acknowledged, when the window
  // was turned off since).
  {
    std::lock_guard trim_lock(outbox->trim_mu_);
    OMNIHUB_RETURN_IF_ERROR(outbox->TrimExpired(outbox->keep_acked_us_ == 0
                                                    ? INT64_MAX
                                                    : outbox->clock_->NowMicros() - outbox->keep_acked_us_ -
                                                          kAckTimeResolutionUs));
  }
  if (outbox->clock_ != nullptr && outbox->pending() > 0) {
    // Their append times are gone with the previous process; they wait at least since now.
    outbox->append_marks_.emplace_back(outbox->last_sequence(), outbox->clock_->MonotonicMicros());
  }
  return outbox;
}

base::Status Outbox::LoadState() {
  base::Result<uint64_t> trimmed_through = ReadFixed64Record(db_.get(), cf_meta_, kOutboxTrimmedThroughKey);
  if (!trimmed_through.ok()) return trimmed_through.status();
  const uint64_t trimmed = *trimmed_through;
  base::Result<uint64_t> acked = ReadFixed64Record(db_.get(), cf_meta_, kOutboxAckedThroughKey);
  if (!acked.ok()) return acked.status();

  uint64_t last = trimmed;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf_entries_));
  it->SeekToFirst();
  if (it->Valid()) {
    // Trim deletes entries and records trimmed_through in one batch, and appends
    // are contiguous, so the first entry always directly follows trimmed_through.
    if (it->key().size() != 8 || base::DecodeFixed64BE(it->key().ToStringView()) != trimmed + 1) {
      return base::Status::Corruption("outbox: first entry does not follow trimmed_through " + std::to_string(trimmed));
    }
    it->SeekToLast();
    if (!it->Valid() || it->key().size() != 8) return base::Status::Corruption("outbox: bad last entry key");
    last = base::DecodeFixed64BE(it->key().ToStringView());
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan entries"));
  // An outbox from before retention has no acked_through: everything acknowledged was trimmed.
  const uint64_t acked_through = std::max(*acked, trimmed);
  if (acked_through > last) {
    return base::Status::Corruption("outbox: acked_through " + std::to_string(acked_through) +
                                    " is beyond the last entry " + std::to_string(last));
  }
  const std::string prefix = MetaKey(kOutboxMetaTagInternal, kOutboxAckedAtPrefix);
  std::unique_ptr<rocksdb::Iterator> marks(db_->NewIterator(rocksdb::ReadOptions(), cf_meta_));
  for (marks->Seek(prefix); marks->Valid() && marks->key().starts_with(prefix); marks->Next()) {
    std::string_view key = marks->key().ToStringView().substr(prefix.size());
    base::Result<std::string_view> payload = StripVersion(marks->value().ToStringView(), "acked_at");
    if (!payload.ok()) return payload.status();
    std::string_view in = *payload;
    uint64_t at = 0;
    if (key.size() != 8 || !base::GetFixed64BE(&in, &at) || !in.empty()) {
      return base::Status::Corruption("outbox: bad acked_at record");
    }
    ack_times_.emplace_back(base::DecodeFixed64BE(key), static_cast<int64_t>(at));
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(marks->status(), "scan acked_at"));
  trimmed_through_.store(trimmed);
  acked_through_.store(acked_through);
  last_sequence_.store(last);
  return base::Status::Ok();
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    commit_cv_.notify_one();
  }
  // The committer finishes what is queued (its callbacks run) before it returns.
  if (committer_.joinable()) committer_.join();
  if (db_ == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    rocksdb::Status s = db_->DestroyColumnFamilyHandle(handle);
    if (!s.ok()) spdlog::warn("outbox: closing a column family: {}", s.ToString());
  }
  handles_.clear();
  rocksdb::Status s = db_->Close();
  if (!s.ok() && !s.IsAborted()) spdlog::warn("outbox: close: {}", s.ToString());
}

size_t Outbox::pending() const {
  const uint64_t acked = acked_through_.load();
  const uint64_t last = last_sequence_.load();
  return last > acked ? static_cast<size_t>(last - acked) : 0;
}

size_t Outbox::kept_acked() const {
  const uint64_t acked = acked_through_.load();
  const uint64_t trimmed = trimmed_through_.load();
  return acked > trimmed ? static_cast<size_t>(acked - trimmed) : 0;
}

base::Result<std::vector<uint64_t>> Outbox::Append(std::vector<OutboxItem> items,
                                             std::vector<std::pair<std::string, std::string>> meta_puts,
                                             std::vector<std::string> meta_deletes) {
  std::mutex done_mu;
  std::condition_variable done_cv;
  std::optional<base::Result<std::vector<uint64_t>>> result;
  AppendAsync(std::move(items), std::move(meta_puts), std::move(meta_deletes),
              [&](base::Result<std::vector<uint64_t>> r) {
                // Notified under the lock: once `result` is set the caller may return and
                // destroy done_cv.
                std::lock_guard lock(done_mu);
                result.emplace(std::move(r));
                done_cv.notify_one();
              });
  std::unique_lock lock(done_mu);
  done_cv.wait(lock, [&] { return result.has_value(); });
  return std::move(*result);
}

void Outbox::AppendAsync(std::vector<OutboxItem> items, std::vector<std::pair<std::string, std::string>> meta_puts,
                         std::vector<std::string> meta_deletes, AppendDone done) {
  for (const OutboxItem& item : items) {
    if ((item.rejected ? 1 : 0) + (item.event_bytes.empty() ? 0 : 1) + (item.command_bytes.empty() ? 0 : 1) > 1) {
      return done(
          base::Status::InvalidArgument("outbox: an item sets more than one of an event, a command and a rejection"));
    }
  }
  if (items.empty() && meta_puts.empty() && meta_deletes.empty()) {
    base::Status failed = status();
    if (!failed.ok()) return done(failed);
    return done(std::vector<uint64_t>{});
  }
  auto writer = std::make_unique<Writer>();
  writer->items = std::move(items);
  writer->meta_puts = std::move(meta_puts);
  writer->meta_deletes = std::move(meta_deletes);
  writer->done = std::move(done);
  Enqueue(std::move(writer));
}

void Outbox::Enqueue(std::unique_ptr<Writer> writer) {
  std::lock_guard lock(mu_);
  if (!committer_.joinable()) committer_ = std::thread([this] { CommitLoop(); });
  writers_.push_back(std::move(writer));
  ++enqueued_;
  commit_cv_.notify_one();
}

void Outbox::WaitIdle() {
  std::unique_lock lock(mu_);
  const uint64_t target = enqueued_;
  idle_cv_.wait(lock, [&] { return completed_ >= target; });
}

void Outbox::CommitLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    commit_cv_.wait(lock, [&] { return stopping_ || !writers_.empty(); });
    if (writers_.empty()) return;  // stopping, and nothing left to write

    // Everything waiting goes into one synced batch, up to kMaxGroupBytes (the first
    // append is always taken), so one sync serves every request that arrived meanwhile.
    std::vector<std::unique_ptr<Writer>> group;
    size_t bytes = 0;
    while (!writers_.empty() && (group.empty() || bytes <= kMaxGroupBytes)) {
      for (const OutboxItem& item : writers_.front()->items) bytes += ItemBytes(item);
      group.push_back(std::move(writers_.front()));
      writers_.pop_front();
    }
    const uint64_t first = last_sequence_.load() + 1;
    base::Status status = failed_;
    if (status.ok()) {
      // Only this thread writes entries, so the sequence range is safe to use without mu_.
      lock.unlock();
      status = WriteGroup(group, first);
      lock.lock();
      if (!status.ok()) {
        spdlog::error("outbox {}: write failed, refusing further appends: {}", publisher_id_, status.ToString());
        failed_ = base::Status::Unavailable("outbox " + publisher_id_ + " failed: " + status.message());
        status = failed_;
      }
    }
    uint64_t next = first;
    std::vector<std::vector<uint64_t>> sequences(group.size());
    if (status.ok()) {
      for (size_t i = 0; i < group.size(); ++i) {
        sequences[i].reserve(group[i]->items.size());
        for (size_t k = 0; k < group[i]->items.size(); ++k) sequences[i].push_back(next++);
      }
      if (next > first) {
        if (clock_ != nullptr) {
          std::lock_guard marks_lock(marks_mu_);
          append_marks_.emplace_back(next - 1, clock_->MonotonicMicros());
        }
        last_sequence_.store(next - 1);
      }
    }
    // The callbacks run without mu_: they answer clients and may wake other threads.
    lock.unlock();
    for (size_t i = 0; i < group.size(); ++i) {
      if (status.ok()) {
        group[i]->done(std::move(sequences[i]));
      } else {
        group[i]->done(status);
      }
    }
    group.clear();
    lock.lock();
    completed_ += sequences.size();
    idle_cv_.notify_all();
  }
}

base::Status Outbox::WriteGroup(const std::vector<std::unique_ptr<Writer>>& group, uint64_t first_sequence) {
  rocksdb::WriteBatch batch;
  uint64_t sequence = first_sequence;
  v1::BusFrame frame;
  std::string frame_bytes;
  for (const auto& w : group) {
    for (OutboxItem& item : w->items) {
      frame.Clear();
      frame.set_protocol_version(v1::BusVersion::CURRENT);
      frame.set_publisher_id(publisher_id_);
      frame.set_sequence(sequence);
      if (item.rejected) {
        *frame.mutable_rejected() = std::move(*item.rejected);
      } else if (!item.command_bytes.empty()) {
        frame.set_command(std::move(item.command_bytes));
      } else {
        frame.set_event(std::move(item.event_bytes));
      }
      for (auto& blob : item.blobs) *frame.add_blobs() = std::move(blob);
      frame_bytes.clear();
      if (!frame.SerializeToString(&frame_bytes)) return base::Status::Internal("outbox: cannot serialize a frame");
      OMNIHUB_RETURN_IF_ERROR(
          FromRocks(batch.Put(cf_entries_, base::EncodeFixed64BE(sequence), EncodeOutboxEntryValue(frame_bytes)), "batch"));
      ++sequence;
    }
    for (const auto& [key, value] : w->meta_puts) {
      OMNIHUB_RETURN_IF_ERROR(
          FromRocks(batch.Put(cf_meta_, MetaKey(kOutboxMetaTagCaller, key), VersionedValue(value)), "batch"));
    }
    for (const auto& key : w->meta_deletes) {
      OMNIHUB_RETURN_IF_ERROR(FromRocks(batch.Delete(cf_meta_, MetaKey(kOutboxMetaTagCaller, key)), "batch"));
    }
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db_->Write(options, &batch), "synced append"));
  synced_batches_.fetch_add(1);
  return base::Status::Ok();
}

base::Result<std::optional<std::string>> Outbox::GetMeta(std::string_view key) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_meta_, MetaKey(kOutboxMetaTagCaller, key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  OMNIHUB_RETURN_IF_ERROR(FromRocks(s, "read meta"));
  base::Result<std::string_view> payload = StripVersion(value.ToStringView(), "meta value");
  if (!payload.ok()) return payload.status();
  return std::optional<std::string>(std::string(*payload));
}

base::Result<std::vector<std::pair<std::string, std::string>>> Outbox::ScanMeta(std::string_view prefix) const {
  const std::string start = MetaKey(kOutboxMetaTagCaller, prefix);
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf_meta_));
  for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
    base::Result<std::string_view> payload = StripVersion(it->value().ToStringView(), "meta value");
    if (!payload.ok()) return payload.status();
    out.emplace_back(std::string(it->key().ToStringView().substr(1)), std::string(*payload));
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan meta"));
  return out;
}

base::Status Outbox::Trim(uint64_t cumulative_ack) {
  std::lock_guard trim_lock(trim_mu_);
  if (cumulative_ack <= acked_through_.load()) return base::Status::Ok();
  if (cumulative_ack > last_sequence_.load()) {
    return base::Status::InvalidArgument("outbox: trim to " + std::to_string(cumulative_ack) + " beyond last sequence " +
                                   std::to_string(last_sequence_.load()));
  }
  rocksdb::WriteBatch batch;
  OMNIHUB_RETURN_IF_ERROR(FromRocks(batch.Put(cf_meta_, MetaKey(kOutboxMetaTagInternal, kOutboxAckedThroughKey),
                                              VersionedValue(base::EncodeFixed64BE(cumulative_ack))),
                                    "batch"));
  int64_t expired_before = INT64_MAX;
  std::deque<std::pair<uint64_t, int64_t>> ack_times = ack_times_;
  if (keep_acked_us_ > 0) {
    const int64_t now = clock_->NowMicros();
    expired_before = now - keep_acked_us_ - kAckTimeResolutionUs;
    if (!ack_times.empty() && now - ack_times.back().second < kAckTimeResolutionUs) {
      // Joins the newest group, under that group's (earlier) time.
      OMNIHUB_RETURN_IF_ERROR(FromRocks(batch.Delete(cf_meta_, AckedAtKey(ack_times.back().first)), "batch"));
      ack_times.back().first = cumulative_ack;
    } else {
      ack_times.emplace_back(cumulative_ack, now);
    }
    OMNIHUB_RETURN_IF_ERROR(FromRocks(
        batch.Put(cf_meta_, AckedAtKey(cumulative_ack),
                  VersionedValue(base::EncodeFixed64BE(static_cast<uint64_t>(ack_times.back().second)))),
        "batch"));
  }
  std::swap(ack_times_, ack_times);
  const uint64_t acked_before = acked_through_.exchange(cumulative_ack);
  base::Result<uint64_t> trimmed = AddExpiry(expired_before, &batch);
  base::Status written = trimmed.ok() ? FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "trim") : trimmed.status();
  if (!written.ok()) {
    std::swap(ack_times_, ack_times);
    acked_through_.store(acked_before);
    return written;
  }
  trimmed_through_.store(*trimmed);
  while (!ack_times_.empty() && ack_times_.front().first <= *trimmed) ack_times_.pop_front();
  std::lock_guard marks_lock(marks_mu_);
  while (!append_marks_.empty() && append_marks_.front().first <= cumulative_ack) append_marks_.pop_front();
  return base::Status::Ok();
}

base::Result<uint64_t> Outbox::AddExpiry(int64_t expired_before_us, rocksdb::WriteBatch* batch) {
  const uint64_t trimmed = trimmed_through_.load();
  uint64_t through = trimmed;
  if (expired_before_us == INT64_MAX) {
    through = acked_through_.load();
  } else {
    for (const auto& [sequence, at_us] : ack_times_) {
      if (at_us > expired_before_us) break;
      through = std::max(through, std::min(sequence, acked_through_.load()));
    }
  }
  if (through <= trimmed) return trimmed;
  // Point deletes rather than DeleteRange: the range is bounded by what was in
  // flight, and many range tombstones would slow every later read.
  for (uint64_t sequence = trimmed + 1; sequence <= through; ++sequence) {
    OMNIHUB_RETURN_IF_ERROR(FromRocks(batch->Delete(cf_entries_, base::EncodeFixed64BE(sequence)), "batch"));
  }
  for (const auto& mark : ack_times_) {
    if (mark.first > through) break;
    OMNIHUB_RETURN_IF_ERROR(FromRocks(batch->Delete(cf_meta_, AckedAtKey(mark.first)), "batch"));
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(batch->Put(cf_meta_, MetaKey(kOutboxMetaTagInternal, kOutboxTrimmedThroughKey),
                                               VersionedValue(base::EncodeFixed64BE(through))),
                                     "batch"));
  return through;
}

base::Status Outbox::TrimExpired(int64_t expired_before_us) {
  rocksdb::WriteBatch batch;
  base::Result<uint64_t> trimmed = AddExpiry(expired_before_us, &batch);
  if (!trimmed.ok()) return trimmed.status();
  if (*trimmed == trimmed_through_.load()) return base::Status::Ok();
  OMNIHUB_RETURN_IF_ERROR(FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "trim"));
  trimmed_through_.store(*trimmed);
  while (!ack_times_.empty() && ack_times_.front().first <= *trimmed) ack_times_.pop_front();
  return base::Status::Ok();
}

int64_t Outbox::oldest_pending_age_us() const {
  if (clock_ == nullptr || pending() == 0) return 0;
  std::lock_guard lock(marks_mu_);
  if (append_marks_.empty()) return 0;
  return std::max<int64_t>(0, clock_->MonotonicMicros() - append_marks_.front().second);
}

base::Status Outbox::status() const {
  std::lock_guard lock(mu_);
  return failed_;
}

base::Result<std::vector<OutboxEntry>> Outbox::ReadFrom(uint64_t first_sequence, size_t max_entries) const {
  std::vector<OutboxEntry> entries;
  const uint64_t last = last_sequence_.load();
  const uint64_t start = std::max(first_sequence, trimmed_through_.load() + 1);
  if (max_entries == 0 || start > last) return entries;
  // Entries of an Append still being synced may already be visible; stop at the
  // last sequence whose Append has returned.
  const std::string upper = base::EncodeFixed64BE(last + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, cf_entries_));
  for (it->Seek(base::EncodeFixed64BE(start)); it->Valid() && entries.size() < max_entries; it->Next()) {
    if (it->key().size() != 8) return base::Status::Corruption("outbox: bad entry key");
    base::Result<std::string_view> frame = DecodeOutboxEntryValue(it->value().ToStringView());
    if (!frame.ok()) return frame.status();
    entries.push_back({base::DecodeFixed64BE(it->key().ToStringView()), std::string(*frame)});
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "read entries"));
  return entries;
}

}  // namespace omnihub::bus
